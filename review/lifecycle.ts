/**
 * Findings about the stack as a whole and about how an apply will go: provider and backend settings
 * that change under every resource, and replacements that AWS will refuse.
 */
import type { Finding, FindingKind, ResourceChange, SettingChange } from './model';
import { show } from './values';

/**
 * What a change of each stack-wide setting does to the resources Terraform manages, and its kind: a
 * region or a state left behind loses the table's data for this stack; another role is a privilege
 * change; the rest (tags, endpoints, ...) is a risk that does not block.
 */
const SETTING_EFFECTS: readonly { readonly pattern: RegExp; readonly kind: FindingKind; readonly effect: string }[] = [
  {
    pattern: /^provider\.aws\.region$/,
    kind: 'data-loss',
    effect:
      "every resource is planned in the new region: the old region's table, functions and state machine are left running, no longer managed, and the new table starts empty",
  },
  {
    pattern: /^provider\.aws\.assume_role/,
    kind: 'privilege',
    effect:
      'Terraform acts as another role, perhaps in another account: the resources are planned where that role lands, not where they are',
  },
  {
    pattern: /^provider\.aws\.default_tags/,
    kind: 'change',
    effect: "every resource's tags change: cost allocation and tag-based access (ABAC) follow the new tags",
  },
  {
    pattern: /^backend(\.|$)/,
    kind: 'data-loss',
    effect:
      'Terraform reads another state: the resources recorded in the old one are unknown to it, so it plans to create them all again (names collide) and never destroys or updates the old ones',
  },
];

/** A risk for each provider or backend setting that differs: such a change reads as "0 changes" resource by resource. */
export function settingFindings(settings: readonly SettingChange[]): Finding[] {
  return settings.map((change) => {
    const known = SETTING_EFFECTS.find((e) => e.pattern.test(change.setting));
    return {
      kind: known?.kind ?? 'change',
      severity: 'risk',
      address: change.setting,
      message: `stack-wide setting changes: ${known?.effect ?? 'every resource of the stack is planned with the new setting'}`,
      details: [`${change.setting}: ${show(change.before ?? null)} → ${show(change.after ?? null)}`],
    };
  });
}

/**
 * A table with deletion protection on cannot be deleted, so a plan that destroys or replaces it fails
 * at apply, part-way through; the provider deletes the old object with its old settings, so turning
 * protection off in the same plan does not help (hashicorp/terraform-provider-aws#48063).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection
 */
export function refusedDestroyFindings(changes: readonly ResourceChange[]): Finding[] {
  return changes
    .filter(
      (c) =>
        c.type === 'aws_dynamodb_table' &&
        c.destroys &&
        (c.before as Record<string, unknown> | null)?.deletion_protection_enabled === true,
    )
    .map((c) => ({
      kind: 'data-loss',
      severity: 'risk',
      address: c.address,
      message: `the apply will fail: deletion protection is on (deletion_protection_enabled = true before), and DynamoDB refuses to delete a protected table, which this ${c.action === 'replace' ? 'replacement' : 'destroy'} must do; turning it off in the same change does not help (hashicorp/terraform-provider-aws#48063): turn it off in a change of its own first`,
    }));
}
