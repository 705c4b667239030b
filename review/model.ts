/**
 * The review model: one shape for the changes of a real plan and of two syntheses, and the findings
 * drawn from them. The renderers and `--format json` read only this.
 */

/** What happens to one resource, from Terraform's action list. */
export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'forget' | 'read' | 'no-op';

/** A step of an attribute path, as in the plan's `replace_paths`. */
export type PathStep = string | number;

/** One resource's change, its values already masked. */
export interface ResourceChange {
  /** Terraform address, e.g. `aws_dynamodb_table.orders`. */
  readonly address: string;
  readonly type: string;
  readonly action: ChangeAction;
  /** The plan's action list as given (`["create","delete"]` for a create-before-destroy replacement). */
  readonly actions: readonly string[];
  /** Whether the old object is destroyed: the action list contains `delete`. */
  readonly destroys: boolean;
  /** Values before and after; null when the object does not exist on that side. */
  readonly before: unknown;
  readonly after: unknown;
  /** Mirror of `after` marking values not known until apply with `true`. */
  readonly afterUnknown: unknown;
  /** Attribute paths that force the replacement. */
  readonly replacePaths: readonly (readonly PathStep[])[];
  /** True when the replacement is predicted from a synthesis, not stated by a plan. */
  readonly predicted: boolean;
  /** The plan's `action_reason`, when it gives one. */
  readonly actionReason?: string;
  /** The construct path that made the resource (`mock-payment-workflow/payment-workflow/orders-table/table`). */
  readonly constructPath?: string;
  /** The resources each top-level attribute's configuration refers to, by address. */
  readonly references: Readonly<Record<string, readonly string[]>>;
  /**
   * The head synthesis's attributes, references to values the plan knows resolved: read where the
   * plan's own value is not known until apply (a policy naming a table being replaced).
   */
  readonly configured?: Readonly<Record<string, unknown>>;
  /** The address the resource had before a `moved` block (a plan's `previous_address`, or paired in a synthesis). */
  readonly previousAddress?: string;
  /** True when the plan imports the resource (`importing` in the plan JSON). */
  readonly importing?: boolean;
}

/** A stack-wide setting that differs between base and head: a provider or backend attribute. */
export interface SettingChange {
  /** `provider.aws.region`, `provider.aws.assume_role`, `backend.s3.key`, ... */
  readonly setting: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** A change of a root output. */
export interface OutputChange {
  readonly name: string;
  readonly action: ChangeAction;
  readonly before: unknown;
  readonly after: unknown;
  readonly afterUnknown: boolean;
}

/** Size of a function's bundle on each side, in bytes, when a synthesis review can read it. */
export interface BundleSizes {
  readonly before?: number;
  readonly after?: number;
}

/** Everything a review is drawn from. */
export interface ChangeSet {
  /** `plan`: a `terraform show -json` document; `synthesis`: two `cdk.tf.json` files compared. */
  readonly source: 'plan' | 'synthesis';
  readonly changes: readonly ResourceChange[];
  /** Drift that matters to the plan (`relevant_attributes`); empty for a synthesis. */
  readonly drift: readonly ResourceChange[];
  readonly outputs: readonly OutputChange[];
  /** Bundle sizes by function address; synthesis only. */
  readonly bundles: Readonly<Record<string, BundleSizes>>;
  /** Provider and backend settings that differ; synthesis only (a plan runs against one backend and provider). */
  readonly settings?: readonly SettingChange[];
}

/** The area a finding belongs to. */
export type FindingKind = 'data-loss' | 'privilege' | 'exposure' | 'monitoring' | 'workflow' | 'code' | 'change';

/** A `risk` needs a reviewer's attention; `info` is listed. */
export type Severity = 'risk' | 'info';

/** One thing the review says about one resource. */
export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly address: string;
  readonly message: string;
  /** Lines under the message: gained actions, changed fields, attribute changes. */
  readonly details?: readonly string[];
  /** The reason of the team rule (`.plan-review.json`) that raised or lowered this finding's severity. */
  readonly teamRule?: string;
}

/**
 * The counts of the verdict line, as Terraform's own "Plan: N to add, N to change, N to destroy."
 * counts them: a replacement counts once in `add` and once in `destroy`, and `replace` says how many.
 */
export interface ChangeCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Replacements, each also counted in `add` and `destroy`. */
  readonly replace: number;
  readonly forget: number;
  readonly import: number;
  /** Resources moved to a new address (with or without other changes). */
  readonly move: number;
}

/** A state machine definition's change, decoded. */
export interface WorkflowChange {
  readonly address: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Changed states with the names of their changed fields. */
  readonly changed: Readonly<Record<string, readonly string[]>>;
  /** Mermaid flowchart of the new definition, with added, changed and removed states marked. */
  readonly mermaid: string;
}

/** The review: what every output format prints. */
export interface Review {
  readonly source: ChangeSet['source'];
  readonly counts: ChangeCounts;
  readonly findings: readonly Finding[];
  readonly workflows: readonly WorkflowChange[];
  readonly changeSet: ChangeSet;
  /** The price of a million orders, base and head, when both can be priced and it changes. */
  readonly cost?: CostChange;
}

/** The change of what a million orders cost, between base and head. */
export interface CostChange {
  readonly beforeUsdPerMillion: number;
  readonly afterUsdPerMillion: number;
  /** The line printed under the verdict. */
  readonly line: string;
}

/** The kinds of risk that fail the pull-request workflow unless the pull request carries the label. */
export const BLOCKING_KINDS: readonly FindingKind[] = ['data-loss', 'privilege'];

/** The label that acknowledges the blocking risks of a pull request. */
export const RISK_ACKNOWLEDGED_LABEL = 'risk-acknowledged';
