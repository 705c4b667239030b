/**
 * IAM access of each role, read from the policy JSON of both sides (inline policies,
 * `aws_iam_role_policy`, attachments, the trust policy), and what each role gains and loses.
 */
import type { Finding, ResourceChange } from './model';
import { marked, parseJsonString } from './values';

/** Actions that take only `Resource: "*"`: a grant of them on `*` is the only one possible, not a risk. */
export const RESOURCE_STAR_ONLY_ACTIONS: readonly string[] = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/** Actions that destroy data or widen access; `iam:` actions other than reads are matched by pattern. */
export const DESTRUCTIVE_ACTIONS: readonly string[] = [
  'dynamodb:DeleteItem',
  'dynamodb:DeleteTable',
  'dynamodb:Scan',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLDelete',
  'dynamodb:UpdateTable',
  'dynamodb:DeleteBackup',
  'dynamodb:RestoreTableFromBackup',
  'logs:DeleteLogGroup',
  'logs:DeleteLogStream',
  'logs:PutRetentionPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
  'lambda:UpdateFunctionCode',
  'lambda:DeleteFunction',
  'lambda:AddPermission',
  'states:DeleteStateMachine',
  'states:UpdateStateMachine',
  'sts:AssumeRole',
];

/** IAM reads; any other `iam:` action changes who may do what. */
const IAM_READ = /^iam:(get|list|simulate|generate)/;

/** IAM matches action names without regard to case (`IAM:PassRole` is `iam:PassRole`), so the lists are compared lower-cased. */
const DESTRUCTIVE = new Set(DESTRUCTIVE_ACTIONS.map((action) => action.toLowerCase()));
const RESOURCE_STAR_ONLY = new Set(RESOURCE_STAR_ONLY_ACTIONS.map((action) => action.toLowerCase()));

/** The condition keys that stop a confused deputy: a service acting for another account or resource. */
export const CONFUSED_DEPUTY_KEYS: readonly string[] = ['aws:SourceAccount', 'aws:SourceArn'];

/** One action on one resource that a policy allows or denies. */
interface Grant {
  readonly effect: string;
  readonly action: string;
  readonly resource: string;
  readonly condition?: string;
  /** The resource the grant comes from (a role policy, the role's inline policy, an attachment). */
  readonly source: string;
}

/** Trust of a role: who may assume it, under which condition keys. */
interface Trust {
  readonly principals: Set<string>;
  readonly conditionKeys: Set<string>;
}

/** A role's access on one side of the change. */
interface RoleAccess {
  readonly grants: Map<string, Grant>;
  trust?: Trust;
  /** Policies whose document is not known until apply, with the replaced resources that make it so. */
  readonly unknown: string[];
  /** Policies known only after apply but read from the synthesis instead. */
  readonly notes: string[];
}

type Side = 'before' | 'after';

/** The privilege findings: for each role, what it gains and loses. */
export function privilegeFindings(changes: readonly ResourceChange[]): Finding[] {
  const replaced = new Set(changes.filter((c) => c.action === 'replace' || c.action === 'create').map((c) => c.address));
  const before = accessBySide(changes, 'before', replaced);
  const after = accessBySide(changes, 'after', replaced);
  const roles = [...new Set([...before.keys(), ...after.keys()])].sort();
  const findings: Finding[] = [];
  for (const role of roles) {
    const old = before.get(role);
    const next = after.get(role);
    const roleIsNew = old === undefined || (old.grants.size === 0 && old.trust === undefined);
    for (const note of [...(next?.unknown ?? []), ...(next?.notes ?? [])]) {
      findings.push({ kind: 'privilege', severity: 'info', address: role, message: note });
    }
    if (next === undefined) {
      findings.push({ kind: 'privilege', severity: 'info', address: role, message: 'is removed with all its access' });
      continue;
    }
    const gained = [...next.grants].filter(([key]) => !old?.grants.has(key)).map(([, grant]) => grant);
    const lost = [...(old?.grants ?? new Map<string, Grant>())].filter(([key]) => !next.grants.has(key)).map(([, grant]) => grant);
    const unknownAfter = next.unknown.length > 0;
    for (const grant of gained) {
      const reason = grantRisk(grant);
      if (reason !== undefined) {
        findings.push({ kind: 'privilege', severity: 'risk', address: role, message: `gains ${grantText(grant)}: ${reason}`, details: [`from ${grant.source}`] });
      }
    }
    const plainGained = gained.filter((grant) => grantRisk(grant) === undefined).map(grantText);
    const lostText = unknownAfter ? [] : lost.map(grantText);
    if (plainGained.length > 0 || lostText.length > 0) {
      findings.push({
        kind: 'privilege',
        severity: 'info',
        address: role,
        message: roleIsNew ? `is new, with ${plainGained.length} grants` : `gains ${plainGained.length} and loses ${lostText.length} grants`,
        details: [...plainGained.map((g) => `+ ${g}`), ...lostText.map((g) => `- ${g}`)],
      });
    }
    findings.push(...trustFindings(role, old?.trust, next.trust, roleIsNew));
  }
  return findings;
}

function trustFindings(role: string, old: Trust | undefined, next: Trust | undefined, roleIsNew: boolean): Finding[] {
  if (next === undefined) return [];
  const findings: Finding[] = [];
  const gainedPrincipals = [...next.principals].filter((p) => !old?.principals.has(p));
  if (!roleIsNew && gainedPrincipals.length > 0) {
    findings.push({
      kind: 'privilege',
      severity: 'risk',
      address: role,
      message: `its trust policy gains principal ${gainedPrincipals.join(', ')}: it may now assume the role`,
    });
  }
  const lostKeys = CONFUSED_DEPUTY_KEYS.filter((key) => old?.conditionKeys.has(key) && !next.conditionKeys.has(key));
  if (lostKeys.length > 0) {
    findings.push({
      kind: 'privilege',
      severity: 'risk',
      address: role,
      message: `its trust policy loses its ${lostKeys.join(' and ')} condition: the service may assume the role on behalf of any account or resource (confused deputy)`,
    });
  }
  if (roleIsNew && next.principals.size > 0) {
    findings.push({ kind: 'privilege', severity: 'info', address: role, message: `trusts ${[...next.principals].join(', ')}` });
  }
  return findings;
}

/** Why a gained grant is a risk, or undefined. */
function grantRisk(grant: Grant): string | undefined {
  if (grant.effect !== 'Allow') return undefined;
  if (grant.action.startsWith('NotAction:')) return 'NotAction allows every action but the listed ones';
  if (grant.action.includes('*')) return 'a wildcard action';
  const action = grant.action.toLowerCase();
  const destructive = DESTRUCTIVE.has(action) || (action.startsWith('iam:') && !IAM_READ.test(action));
  if (destructive && grant.resource === '*') return 'a destructive action on every resource';
  if (destructive && isWildcard(grant.resource)) return 'a destructive action on a wildcard resource';
  if (destructive) return 'a destructive action';
  if (isWildcard(grant.resource) && !RESOURCE_STAR_ONLY.has(action)) return 'a wildcard resource';
  if (grant.resource.startsWith('NotResource:')) return 'NotResource applies to every resource but the listed ones';
  if (grant.action.startsWith('policy:') && /AdministratorAccess|FullAccess|PowerUser/.test(grant.action)) return 'a broad AWS managed policy';
  return undefined;
}

/**
 * `*` anywhere in a resource but a trailing `:*`, which names the streams of one log group or the
 * versions of one function, not other resources.
 */
function isWildcard(resource: string): boolean {
  return resource.replace(/:\*$/, '').includes('*');
}

function grantText(grant: Grant): string {
  const effect = grant.effect === 'Allow' ? '' : `${grant.effect} `;
  const condition = grant.condition === undefined ? '' : ` if ${grant.condition}`;
  return `${effect}${grant.action} on ${grant.resource}${condition}`;
}

/** Every role's access on one side, keyed by the role's address. */
function accessBySide(changes: readonly ResourceChange[], side: Side, replaced: Set<string>): Map<string, RoleAccess> {
  const out = new Map<string, RoleAccess>();
  const roleOf = (address: string): RoleAccess => {
    if (!out.has(address)) out.set(address, { grants: new Map(), unknown: [], notes: [] });
    return out.get(address) as RoleAccess;
  };
  const roleNames = new Map<string, string>();
  for (const change of changes) {
    const value = change[side] as Record<string, unknown> | null;
    if (change.type === 'aws_iam_role' && value !== null && typeof value.name === 'string') roleNames.set(value.name, change.address);
  }
  for (const change of changes) {
    const value = change[side] as Record<string, unknown> | null;
    if (value === null || typeof value !== 'object') continue;
    const unknown = (attribute: string): boolean => side === 'after' && marked(change.afterUnknown, [attribute]);
    /** The document of a policy attribute; when the plan knows it only after apply, the synthesis's, if given. */
    const documentOf = (access: RoleAccess, attribute: string): unknown => {
      if (!unknown(attribute)) return parseJsonString(value[attribute]);
      const causes = (change.references[attribute] ?? []).filter((ref) => replaced.has(ref));
      const because = causes.length > 0 ? `, because it names ${causes.join(', ')}, which is created or replaced` : '';
      const configured = parseJsonString(change.configured?.[attribute]);
      if (configured === undefined) {
        access.unknown.push(`${change.address}: ${attribute} is (known after apply)${because}; its new access is shown after apply`);
      } else {
        access.notes.push(`${change.address}: ${attribute} is (known after apply)${because}; read from the synthesis, where \${...} is a value decided at apply`);
      }
      return configured;
    };
    if (change.type === 'aws_iam_role') {
      const access = roleOf(change.address);
      const trust = documentOf(access, 'assume_role_policy');
      if (trust !== undefined) access.trust = trustOf(trust);
      for (const inline of (Array.isArray(value.inline_policy) ? value.inline_policy : []) as Record<string, unknown>[]) {
        addGrants(access, parseJsonString(inline.policy), `${change.address} inline policy ${inline.name ?? ''}`.trim());
      }
    } else if (change.type === 'aws_iam_role_policy' || change.type === 'aws_iam_role_policy_attachment') {
      const byReference = (change.references.role ?? []).find((ref) => ref.startsWith('aws_iam_role.'));
      const role = byReference ?? roleNames.get(String(value.role)) ?? `role ${String(value.role)}`;
      const access = roleOf(role);
      if (change.type === 'aws_iam_role_policy_attachment') {
        const arn = String(value.policy_arn);
        access.grants.set(`policy:${arn}`, { effect: 'Allow', action: `policy:${arn}`, resource: '(the managed policy\'s resources)', source: change.address });
      } else {
        addGrants(access, documentOf(access, 'policy'), change.address);
      }
    }
  }
  return out;
}

function addGrants(access: RoleAccess, document: unknown, source: string): void {
  for (const statement of statementsOf(document)) {
    const actions = statement.NotAction === undefined ? list(statement.Action) : list(statement.NotAction).map((a) => `NotAction:${a}`);
    const resources = statement.NotResource === undefined ? list(statement.Resource ?? '*') : list(statement.NotResource).map((r) => `NotResource:${r}`);
    const condition = statement.Condition === undefined ? undefined : JSON.stringify(statement.Condition);
    for (const action of actions) {
      for (const resource of resources) {
        const grant: Grant = { effect: String(statement.Effect ?? 'Allow'), action, resource, ...(condition === undefined ? {} : { condition }), source };
        access.grants.set(`${grant.effect}|${action}|${resource}|${condition ?? ''}`, grant);
      }
    }
  }
}

function trustOf(document: unknown): Trust {
  const principals = new Set<string>();
  const conditionKeys = new Set<string>();
  for (const statement of statementsOf(document)) {
    if (statement.Effect !== 'Allow') continue;
    const principal = statement.Principal;
    if (principal === '*') principals.add('*');
    else if (principal !== null && typeof principal === 'object') {
      for (const [kind, ids] of Object.entries(principal)) for (const id of list(ids)) principals.add(`${kind}:${id}`);
    }
    for (const byKey of Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const key of Object.keys(byKey)) conditionKeys.add(key);
    }
  }
  return { principals, conditionKeys };
}

function statementsOf(document: unknown): Record<string, any>[] {
  if (document === null || typeof document !== 'object') return [];
  const statement = (document as { Statement?: unknown }).Statement;
  return (Array.isArray(statement) ? statement : statement === undefined ? [] : [statement]) as Record<string, any>[];
}

function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}
