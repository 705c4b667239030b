/** Builds the {@link Review} from a {@link ChangeSet}: counts, then findings in the order they are read. */
import { internetExposureFindings } from './exposure';
import { privilegeFindings } from './iam';
import { refusedDestroyFindings, settingFindings } from './lifecycle';
import type { ChangeCounts, ChangeSet, Finding, ResourceChange, Review } from './model';
import { monitoringFindings } from './monitoring';
import { secretFindings } from './secrets';
import { block, KNOWN_AFTER_APPLY, leaves, marked, maskSecretEnvironment, pathText, sameValue, show } from './values';
import { workflowChanges } from './workflow';

/** Resource types that hold data a replacement or deletion loses. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_dynamodb_table: 'every item in the table is lost',
  aws_cloudwatch_log_group: 'the log events in the group are lost',
  aws_kms_key: 'data encrypted with the key can no longer be decrypted once the key is deleted',
};

/** Attributes decoded in their own section; the list of changes does not repeat their JSON. */
const DECODED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role: ['assume_role_policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_policy: ['policy'],
  aws_sfn_state_machine: ['definition'],
};

/** Attributes that only label a resource: `tags_all` is `tags` merged with the provider's `default_tags`. */
const TAG_ATTRIBUTES = new Set(['tags', 'tags_all']);

/** Reviews a change set. */
export function buildReview(changeSet: ChangeSet): Review {
  const changes = changeSet.changes;
  const workflow = workflowChanges(changes);
  // A moved resource is listed even when nothing else changes: the move is the change.
  const listed = changes.filter(
    (c) => (c.action !== 'no-op' && c.action !== 'read') || c.previousAddress !== undefined,
  );
  const tagsOnly = listed.filter(onlyTagsChange);
  const findings: Finding[] = [
    ...settingFindings(changeSet.settings ?? []),
    ...changes.flatMap(dataLossFindings),
    ...refusedDestroyFindings(changes),
    ...privilegeFindings(changes),
    ...changes.flatMap(exposureFindings),
    ...internetExposureFindings(changes),
    ...changes.flatMap(secretFindings),
    ...changes.flatMap(monitoringFindings),
    ...workflow.findings,
    ...codeFindings(changeSet),
    ...(tagsOnly.length > 1 ? listed.filter((c) => !tagsOnly.includes(c)) : listed).map(changeFinding),
    ...(tagsOnly.length > 1 ? [tagsFinding(tagsOnly)] : []),
    ...changeSet.drift.map(driftFinding),
    ...changeSet.outputs
      .filter((o) => o.action !== 'no-op')
      .map(
        (o): Finding => ({
          kind: 'change',
          severity: 'info',
          address: `output.${o.name}`,
          message: `${o.action} output`,
          details: [
            `${show(maskSecretEnvironment(o.before))} → ${o.afterUnknown ? KNOWN_AFTER_APPLY : show(maskSecretEnvironment(o.after))}`,
          ],
        }),
      ),
  ];
  return {
    source: changeSet.source,
    counts: countsOf(changes),
    findings: grouped(findings),
    workflows: workflow.workflows,
    changeSet,
  };
}

/**
 * Identical findings of several resources as one, naming them all: one line for five log groups
 * whose retention is shortened alike, not five.
 */
function grouped(findings: readonly Finding[]): Finding[] {
  const byContent = new Map<string, { finding: Finding; addresses: string[] }>();
  for (const finding of findings) {
    const key = JSON.stringify([finding.kind, finding.severity, finding.message, finding.details ?? []]);
    const group = byContent.get(key);
    if (group === undefined) byContent.set(key, { finding, addresses: [finding.address] });
    else if (!group.addresses.includes(finding.address)) group.addresses.push(finding.address);
  }
  return [...byContent.values()].map(({ finding, addresses }) => ({ ...finding, address: addresses.join(', ') }));
}

/** The changed leaves of an update, unknown ones included. */
function changedLeaves(change: ResourceChange): string[] {
  const before = leaves(change.before);
  const after = leaves(change.after);
  return [...new Set([...before.keys(), ...after.keys()])].filter((key) => {
    const path = (after.get(key) ?? before.get(key))?.path ?? [];
    return (
      marked(change.afterUnknown, path) || !sameValue(before.get(key)?.value ?? null, after.get(key)?.value ?? null)
    );
  });
}

/** An in-place update of nothing but tags. */
function onlyTagsChange(change: ResourceChange): boolean {
  if (change.action !== 'update') return false;
  const changed = changedLeaves(change);
  return changed.length > 0 && changed.every((key) => TAG_ATTRIBUTES.has(key.split(/[.[]/)[0]));
}

/** Updates of tags only as one line: how many resources, and each tag change once. */
function tagsFinding(changes: readonly ResourceChange[]): Finding {
  const lines = new Set<string>();
  for (const change of changes) for (const line of changeFinding(change).details ?? []) lines.add(line);
  return {
    kind: 'change',
    severity: 'info',
    address: `${changes.length} resources`,
    message: 'update only their tags',
    details: [...lines, `resources: ${changes.map((c) => c.address).join(', ')}`],
  };
}

/**
 * Counts as Terraform's summary line does (internal/command/jsonformat/plan.go in hashicorp/terraform):
 * a replacement once in `add` and once in `destroy`, a create-then-forget once in `add`.
 */
export function countsOf(changes: readonly ResourceChange[]): ChangeCounts {
  const count = (test: (c: ResourceChange) => boolean): number => changes.filter(test).length;
  const replacing = (c: ResourceChange): boolean => c.action === 'replace' && c.destroys;
  return {
    add: count((c) => c.action === 'create' || c.action === 'replace'),
    change: count((c) => c.action === 'update'),
    destroy: count((c) => c.action === 'delete' || replacing(c)),
    replace: count(replacing),
    forget: count((c) => c.action === 'forget' || (c.action === 'replace' && !c.destroys)),
    import: count((c) => c.importing === true),
    move: count((c) => c.previousAddress !== undefined),
  };
}

function dataLossFindings(change: ResourceChange): Finding[] {
  const findings: Finding[] = [];
  const { address } = change;
  const loss = STATEFUL_TYPES[change.type];
  if (loss !== undefined && change.destroys) {
    const forcedBy =
      change.replacePaths.length > 0 ? ` (forced by ${change.replacePaths.map(pathText).join(', ')})` : '';
    const what =
      change.action === 'replace'
        ? `is replaced${change.predicted ? ' (predicted from the synthesis)' : ''}${forcedBy}`
        : 'is destroyed';
    findings.push({ kind: 'data-loss', severity: 'risk', address, message: `${what}: ${loss}` });
  }
  if (change.action !== 'update' && change.action !== 'replace') return findings;
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  if (before.deletion_protection_enabled === true && after.deletion_protection_enabled !== true) {
    findings.push({
      kind: 'data-loss',
      severity: 'risk',
      address,
      message: 'turns deletion protection off: a destroy or a replacement can now delete the table',
    });
  }
  if (block(before.point_in_time_recovery)?.enabled === true && block(after.point_in_time_recovery)?.enabled !== true) {
    findings.push({
      kind: 'data-loss',
      severity: 'risk',
      address,
      message: 'turns point-in-time recovery off: the table can no longer be restored to a moment before a bad write',
    });
  }
  const retention = (days: unknown): number => (typeof days === 'number' && days > 0 ? days : Infinity);
  if (
    typeof after.retention_in_days === 'number' &&
    retention(after.retention_in_days) < retention(before.retention_in_days)
  ) {
    findings.push({
      kind: 'data-loss',
      severity: 'risk',
      address,
      message: `shortens log retention from ${retentionText(before.retention_in_days)} to ${after.retention_in_days} days: older log events are deleted`,
    });
  }
  return findings;
}

function retentionText(days: unknown): string {
  return typeof days === 'number' && days > 0 ? `${days} days` : 'never expire';
}

/** Attributes that name a KMS key, whatever the block they sit in. */
const KMS_KEY_ATTRIBUTE = /(^|\.)(kms_key_arn|kms_key_id|kms_master_key_id)$/;

function exposureFindings(change: ResourceChange): Finding[] {
  if (change.action !== 'update' && change.action !== 'replace') return [];
  const findings: Finding[] = [];
  const { address } = change;
  const risk = (message: string): void => void findings.push({ kind: 'exposure', severity: 'risk', address, message });
  const before = leaves(change.before);
  const after = leaves(change.after);
  for (const [key, { path, value }] of before) {
    const next = after.get(key)?.value;
    if (
      KMS_KEY_ATTRIBUTE.test(key) &&
      typeof value === 'string' &&
      value !== '' &&
      (next === undefined || next === null || next === '') &&
      !marked(change.afterUnknown, path)
    ) {
      risk(`removes its KMS key (${key}): the data is no longer encrypted with the customer managed key`);
    }
  }
  const b = (change.before ?? {}) as Record<string, unknown>;
  const a = (change.after ?? {}) as Record<string, unknown>;
  if (
    change.type === 'aws_dynamodb_table' &&
    block(b.server_side_encryption)?.enabled === true &&
    block(a.server_side_encryption)?.enabled !== true
  ) {
    risk('turns off server-side encryption with its KMS key');
  }
  if (change.type === 'aws_sfn_state_machine') {
    const logsBefore = block(b.logging_configuration);
    const logsAfter = block(a.logging_configuration);
    if (logsBefore?.include_execution_data !== true && logsAfter?.include_execution_data === true) {
      risk("puts execution data into its logs: the states' inputs and outputs, so the orders, are logged");
    }
    if (
      logsBefore?.level !== undefined &&
      logsBefore.level !== 'OFF' &&
      (logsAfter?.level === undefined || logsAfter.level === 'OFF')
    ) {
      risk('turns its logging off');
    }
    if (block(b.tracing_configuration)?.enabled === true && block(a.tracing_configuration)?.enabled !== true)
      risk('turns X-Ray tracing off');
    const encryptionBefore = block(b.encryption_configuration)?.type;
    if (
      encryptionBefore === 'CUSTOMER_MANAGED_KMS_KEY' &&
      block(a.encryption_configuration)?.type !== 'CUSTOMER_MANAGED_KMS_KEY'
    ) {
      risk('stops encrypting with the customer managed key');
    }
  }
  if (
    change.type === 'aws_lambda_function' &&
    block(b.tracing_config)?.mode === 'Active' &&
    block(a.tracing_config)?.mode !== 'Active'
  ) {
    risk('turns X-Ray tracing off');
  }
  return findings;
}

function codeFindings(changeSet: ChangeSet): Finding[] {
  const findings: Finding[] = [];
  for (const change of changeSet.changes.filter((c) => c.type === 'aws_lambda_function')) {
    const before = (change.before as Record<string, unknown> | null)?.source_code_hash;
    const after = (change.after as Record<string, unknown> | null)?.source_code_hash;
    const unknown = change.after !== null && marked(change.afterUnknown, ['source_code_hash']);
    if (change.before !== null && change.after !== null && !unknown && sameValue(before, after)) continue;
    if (change.action === 'no-op' || change.action === 'read') continue;
    const sizes = changeSet.bundles[change.address];
    const size = sizes === undefined ? [] : [bundleLine(sizes.before, sizes.after)];
    const hash = `source hash ${show(before ?? null, 60)} → ${unknown ? KNOWN_AFTER_APPLY : show(after ?? null, 60)}`;
    const what =
      change.before === null
        ? 'new function code'
        : change.after === null
          ? 'function removed'
          : 'function code changes';
    findings.push({ kind: 'code', severity: 'info', address: change.address, message: what, details: [hash, ...size] });
  }
  return findings;
}

/** `bundle 5612 bytes → 5655 bytes (+43)`: exact, since a handler edit often moves a bundle by a few bytes. */
function bundleLine(before: number | undefined, after: number | undefined): string {
  const bytes = (value: number | undefined): string => (value === undefined ? '(none)' : `${value} bytes`);
  const delta = before === undefined || after === undefined ? '' : ` (${after >= before ? '+' : ''}${after - before})`;
  return `bundle ${bytes(before)} → ${bytes(after)}${delta}`;
}

/** A change made outside Terraform that the plan depends on. */
function driftFinding(drift: ResourceChange): Finding {
  const { details } = changeFinding(drift);
  return {
    kind: 'change',
    severity: 'info',
    address: drift.address,
    message: 'drift: changed outside Terraform since the last apply',
    details,
  };
}

/** One resource's change: its action, why, and each changed attribute before → after. */
function changeFinding(change: ResourceChange): Finding {
  const decoded = DECODED_ATTRIBUTES[change.type] ?? [];
  const details: string[] = [];
  if (change.action === 'update' || change.action === 'replace') {
    const before = leaves(change.before);
    const after = leaves(change.after);
    const keys = [...new Set([...before.keys(), ...after.keys()])];
    const forced = new Set(change.replacePaths.map(pathText));
    const shownTop = new Set<string>();
    const hidden = new Set<string>();
    for (const key of keys) {
      const path = (after.get(key) ?? before.get(key))?.path ?? [];
      const top = String(path[0]);
      const unknown = marked(change.afterUnknown, path);
      const old = before.get(key)?.value;
      const next = after.get(key)?.value;
      if (!unknown && sameValue(old ?? null, next ?? null)) continue;
      // A replacement makes every computed attribute unknown: one line names them.
      if (change.action === 'replace' && unknown && !forced.has(key) && !forced.has(top) && !decoded.includes(top)) {
        hidden.add(key);
        continue;
      }
      if (decoded.includes(top)) {
        if (!shownTop.has(top)) details.push(`${top}: ${unknown ? KNOWN_AFTER_APPLY : 'changed (decoded above)'}`);
        shownTop.add(top);
        continue;
      }
      const mark = forced.has(key) || forced.has(top) ? ' (forces replacement)' : '';
      details.push(`${key}: ${show(old ?? null)} → ${unknown ? KNOWN_AFTER_APPLY : show(next ?? null)}${mark}`);
    }
    if (hidden.size > 0) details.push(`${KNOWN_AFTER_APPLY}: ${[...hidden].join(', ')}`);
  }
  if (change.action === 'create') {
    for (const [key, { path, value }] of leaves(change.after)) {
      if (decoded.includes(String(path[0]))) details.push(`${key}: (decoded above)`);
      else if (value !== null) details.push(`${key}: ${show(value)}`);
    }
    for (const [key, { value }] of leaves(change.afterUnknown))
      if (value === true) details.push(`${key}: ${KNOWN_AFTER_APPLY}`);
  }
  const reason = change.actionReason === undefined ? '' : ` (${change.actionReason})`;
  const predicted = change.predicted ? ' (predicted)' : '';
  const where = change.constructPath === undefined ? '' : ` [${change.constructPath}]`;
  // A move alone reads "move from X"; a move with other changes "update moved from X".
  const onlyMoved = change.action === 'no-op';
  const moved =
    change.previousAddress === undefined ? '' : ` ${onlyMoved ? 'from' : 'moved from'} ${change.previousAddress}`;
  const action = onlyMoved ? 'move' : change.action;
  return {
    kind: 'change',
    severity: 'info',
    address: change.address,
    message: `${action}${moved}${predicted}${reason}${where}`,
    details,
  };
}
