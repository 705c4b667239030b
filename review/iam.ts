/**
 * IAM access of each role, read from the policy JSON of both sides (inline policies,
 * `aws_iam_role_policy`, managed policies however attached, customer managed `aws_iam_policy`
 * documents followed to the roles they are attached to, the trust policy), and what each role gains
 * and loses.
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

/** AWS managed policies that make a role an administrator of the account. */
export const ADMINISTRATOR_POLICIES: readonly string[] = ['arn:aws:iam::aws:policy/AdministratorAccess'];

/** What a grant of every action on every resource, or an administrator policy, makes of a role. */
const ADMINISTRATOR = 'full administrator of the account';

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
  const replaced = new Set(
    changes.filter((c) => c.action === 'replace' || c.action === 'create').map((c) => c.address),
  );
  const canonical = canonicalResources(changes);
  const before = accessBySide(changes, 'before', replaced, canonical);
  const after = accessBySide(changes, 'after', replaced, canonical);
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
    const lost = [...(old?.grants ?? new Map<string, Grant>())]
      .filter(([key]) => !next.grants.has(key))
      .map(([, grant]) => grant);
    const unknownAfter = next.unknown.length > 0;
    for (const grant of gained) {
      const reason = grantRisk(grant);
      if (reason !== undefined) {
        findings.push({
          kind: 'privilege',
          severity: 'risk',
          address: role,
          message: `gains ${grantText(grant)}: ${reason}`,
          details: [`from ${grant.source}`],
        });
      }
    }
    const plainGained = gained.filter((grant) => grantRisk(grant) === undefined).map(grantText);
    const lostText = unknownAfter ? [] : lost.map(grantText);
    if (plainGained.length > 0 || lostText.length > 0) {
      findings.push({
        kind: 'privilege',
        severity: 'info',
        address: role,
        message: roleIsNew
          ? `is new, with ${plainGained.length} grants`
          : `gains ${plainGained.length} and loses ${lostText.length} grants`,
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
  const anyone: string[] = gainedPrincipals.filter((p) => p === '*' || p === 'AWS:*');
  if (anyone.length > 0) {
    const unless =
      next.conditionKeys.size > 0 ? ` unless its condition on ${[...next.conditionKeys].join(', ')} stops it` : '';
    findings.push({
      kind: 'privilege',
      severity: 'risk',
      address: role,
      message: `its trust policy allows principal ${anyone.join(', ')}: any AWS account may assume this role${unless}`,
    });
  }
  const others = gainedPrincipals.filter((p) => !anyone.includes(p));
  if (!roleIsNew && others.length > 0) {
    findings.push({
      kind: 'privilege',
      severity: 'risk',
      address: role,
      message: `its trust policy gains principal ${others.join(', ')}: it may now assume the role`,
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
    findings.push({
      kind: 'privilege',
      severity: 'info',
      address: role,
      message: `trusts ${[...next.principals].join(', ')}`,
    });
  }
  return findings;
}

/** Why a gained grant is a risk, or undefined. */
function grantRisk(grant: Grant): string | undefined {
  if (grant.effect !== 'Allow') return undefined;
  if (grant.action.startsWith('NotAction:')) return 'NotAction allows every action but the listed ones';
  if (grant.action === '*' && grant.resource === '*' && grant.condition === undefined) return ADMINISTRATOR;
  if (grant.action.includes('*')) return 'a wildcard action';
  const action = grant.action.toLowerCase();
  const destructive = DESTRUCTIVE.has(action) || (action.startsWith('iam:') && !IAM_READ.test(action));
  if (destructive && grant.resource === '*') return 'a destructive action on every resource';
  if (destructive && isWildcard(grant.resource)) return 'a destructive action on a wildcard resource';
  if (destructive) return 'a destructive action';
  if (isWildcard(grant.resource) && !RESOURCE_STAR_ONLY.has(action)) return 'a wildcard resource';
  if (grant.resource.startsWith('NotResource:')) return 'NotResource applies to every resource but the listed ones';
  if (grant.action.startsWith('policy:') && ADMINISTRATOR_POLICIES.includes(grant.action.slice('policy:'.length)))
    return ADMINISTRATOR;
  if (grant.action.startsWith('policy:') && /AdministratorAccess|FullAccess|PowerUser/.test(grant.action))
    return 'a broad AWS managed policy';
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
function accessBySide(
  changes: readonly ResourceChange[],
  side: Side,
  replaced: Set<string>,
  canonical: (resource: string) => string,
): Map<string, RoleAccess> {
  const out = new Map<string, RoleAccess>();
  const roleOf = (address: string): RoleAccess => {
    if (!out.has(address)) out.set(address, { grants: new Map(), unknown: [], notes: [] });
    return out.get(address) as RoleAccess;
  };
  const roleNames = new Map<string, string>();
  const customerNotes = new Map<string, RoleAccess>();
  for (const change of changes) {
    const value = change[side] as Record<string, unknown> | null;
    if (change.type === 'aws_iam_role' && value !== null && typeof value.name === 'string')
      roleNames.set(value.name, change.address);
  }
  /** Customer managed policies of this side: their documents, and the ARN and name they are found by. */
  const customer = new Map<string, { document: unknown; arn?: string; name?: string }>();
  const attached: { change: ResourceChange; role: string; attribute: string; arns: string[] }[] = [];
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
        access.unknown.push(
          `${change.address}: ${attribute} is (known after apply)${because}; its new access is shown after apply`,
        );
      } else {
        access.notes.push(
          `${change.address}: ${attribute} is (known after apply)${because}; read from the synthesis, where \${...} is a value decided at apply`,
        );
      }
      return configured;
    };
    if (change.type === 'aws_iam_role') {
      const access = roleOf(change.address);
      const trust = documentOf(access, 'assume_role_policy');
      if (trust !== undefined) access.trust = trustOf(trust);
      for (const inline of (Array.isArray(value.inline_policy) ? value.inline_policy : []) as Record<
        string,
        unknown
      >[]) {
        addGrants(
          access,
          parseJsonString(inline.policy),
          `${change.address} inline policy ${inline.name ?? ''}`.trim(),
          canonical,
        );
      }
      if (Array.isArray(value.managed_policy_arns))
        attached.push({
          change,
          role: change.address,
          attribute: 'managed_policy_arns',
          arns: knownArns(value.managed_policy_arns),
        });
    } else if (change.type === 'aws_iam_policy') {
      const pending: RoleAccess = { grants: new Map(), unknown: [], notes: [] };
      const document = documentOf(pending, 'policy');
      customer.set(change.address, {
        document,
        ...(typeof value.arn === 'string' ? { arn: value.arn } : {}),
        ...(typeof value.name === 'string' ? { name: value.name } : {}),
      });
      if (pending.unknown.length + pending.notes.length > 0) customerNotes.set(change.address, pending);
    } else if (
      change.type === 'aws_iam_role_policy' ||
      change.type === 'aws_iam_role_policy_attachment' ||
      change.type === 'aws_iam_role_policy_attachments_exclusive'
    ) {
      const roleAttribute = change.type === 'aws_iam_role_policy_attachments_exclusive' ? 'role_name' : 'role';
      const byReference = (change.references[roleAttribute] ?? []).find((ref) => ref.startsWith('aws_iam_role.'));
      const role = byReference ?? roleNames.get(String(value[roleAttribute])) ?? `role ${String(value[roleAttribute])}`;
      const access = roleOf(role);
      if (change.type === 'aws_iam_role_policy')
        addGrants(access, documentOf(access, 'policy'), change.address, canonical);
      else if (change.type === 'aws_iam_role_policy_attachment')
        attached.push({ change, role, attribute: 'policy_arn', arns: knownArns([value.policy_arn]) });
      else attached.push({ change, role, attribute: 'policy_arns', arns: knownArns(value.policy_arns) });
    }
  }
  // Attachments last: a customer managed policy they name is read whatever the order of the changes.
  for (const { change, role, attribute, arns } of attached) {
    const access = roleOf(role);
    const source = attribute === 'managed_policy_arns' ? `${change.address} managed_policy_arns` : change.address;
    const policies = new Set((change.references[attribute] ?? []).filter((ref) => customer.has(ref)));
    for (const arn of arns) {
      const policy = customerPolicyOf(arn, customer);
      if (policy !== undefined) policies.add(policy);
      else
        access.grants.set(`policy:${arn}`, {
          effect: 'Allow',
          action: `policy:${arn}`,
          resource: "(the managed policy's resources)",
          source,
        });
    }
    for (const policy of policies) {
      const notes = customerNotes.get(policy);
      access.unknown.push(...(notes?.unknown ?? []));
      access.notes.push(...(notes?.notes ?? []));
      addGrants(access, customer.get(policy)?.document, `${policy}, attached by ${source}`, canonical);
    }
  }
  return out;
}

/** The ARNs of a list the plan knows; one known only after apply is absent or null, and found by its references. */
function knownArns(value: unknown): string[] {
  return (Array.isArray(value) ? value : []).filter((arn): arn is string => typeof arn === 'string');
}

/** The customer managed policy an ARN names: by reference, by the plan's known ARN, or by its name. */
function customerPolicyOf(
  arn: string,
  customer: ReadonlyMap<string, { arn?: string; name?: string }>,
): string | undefined {
  const reference = /^\$\{(aws_iam_policy\.[\w-]+)\.(arn|id)\}$/.exec(arn)?.[1];
  if (reference !== undefined && customer.has(reference)) return reference;
  const name = /:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  for (const [address, policy] of customer)
    if (
      policy.arn === arn ||
      (policy.name !== undefined && policy.name === name && !arn.startsWith('arn:aws:iam::aws:'))
    )
      return address;
  return undefined;
}

function addGrants(
  access: RoleAccess,
  document: unknown,
  source: string,
  canonical: (resource: string) => string,
): void {
  for (const statement of statementsOf(document)) {
    const actions =
      statement.NotAction === undefined
        ? list(statement.Action)
        : list(statement.NotAction).map((a) => `NotAction:${a}`);
    const resources =
      statement.NotResource === undefined
        ? list(statement.Resource ?? '*')
        : list(statement.NotResource).map((r) => `NotResource:${r}`);
    const condition = statement.Condition === undefined ? undefined : JSON.stringify(statement.Condition);
    for (const action of actions) {
      for (const resource of resources) {
        const grant: Grant = {
          effect: String(statement.Effect ?? 'Allow'),
          action,
          resource,
          ...(condition === undefined ? {} : { condition }),
          source,
        };
        // Keyed by the resource it names, so a reference and the literal ARN it resolves to are one grant.
        access.grants.set(`${grant.effect}|${action.toLowerCase()}|${canonical(resource)}|${condition ?? ''}`, grant);
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

/** The statements of a policy document, a single statement as a list of one. */
export function statementsOf(document: unknown): Record<string, any>[] {
  if (document === null || typeof document !== 'object') return [];
  const statement = (document as { Statement?: unknown }).Statement;
  return (Array.isArray(statement) ? statement : statement === undefined ? [] : [statement]) as Record<string, any>[];
}

/** A policy field that is one value or a list, as a list of strings. */
export function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * How each service's ARN names a resource of this stack, and the attribute that holds that name: a
 * literal ARN, an ARN built from `${x.name}`, and `${x.arn}` then all name the same resource.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
const ARN_NAMES: readonly {
  readonly type: string;
  readonly service: string;
  readonly resource: RegExp;
  readonly attribute: string;
}[] = [
  { type: 'aws_dynamodb_table', service: 'dynamodb', resource: /^table\/([^/]+)$/, attribute: 'name' },
  { type: 'aws_lambda_function', service: 'lambda', resource: /^function:([^:]+)$/, attribute: 'function_name' },
  { type: 'aws_cloudwatch_log_group', service: 'logs', resource: /^log-group:(.+)$/, attribute: 'name' },
  { type: 'aws_sfn_state_machine', service: 'states', resource: /^stateMachine:([^:]+)$/, attribute: 'name' },
  { type: 'aws_sns_topic', service: 'sns', resource: /^([^:]+)$/, attribute: 'name' },
  { type: 'aws_iam_role', service: 'iam', resource: /^role\/(?:.*\/)?([^/]+)$/, attribute: 'name' },
  { type: 'aws_kms_key', service: 'kms', resource: /^key\/([^/]+)$/, attribute: 'key_id' },
];

/**
 * A resource of a grant as the address of the resource it names, where it names one of this change
 * set: `${aws_dynamodb_table.orders.arn}`, `arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders`
 * and `arn:${...}:dynamodb:${...}:${...}:table/${aws_dynamodb_table.orders.name}` are one resource.
 * A trailing `:*` (a log group's streams) is kept.
 */
export function canonicalResources(changes: readonly ResourceChange[]): (resource: string) => string {
  const byArn = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const change of changes) {
    // Only what the resource is after the change: a replaced function's old ARN is another resource's.
    const after = change.after as Record<string, unknown> | null;
    if (after === null || typeof after !== 'object') continue;
    const before = change.before as Record<string, unknown> | null;
    const arn =
      typeof after.arn === 'string'
        ? after.arn
        : change.action === 'update' || change.action === 'no-op'
          ? before?.arn
          : undefined;
    if (typeof arn === 'string') byArn.set(arn, change.address);
    const shape = ARN_NAMES.find((entry) => entry.type === change.type);
    const name = shape === undefined ? undefined : after[shape.attribute];
    if (shape !== undefined && typeof name === 'string') byName.set(`${shape.service}|${name}`, change.address);
  }
  return (resource) => {
    const streams = resource.endsWith(':*') ? ':*' : '';
    const bare = streams === '' ? resource : resource.slice(0, -2);
    const reference = /^\$\{([a-z][a-z0-9_]*\.[\w-]+)\.arn\}$/.exec(bare)?.[1];
    if (reference !== undefined) return reference + streams;
    if (byArn.has(bare)) return (byArn.get(bare) as string) + streams;
    const parts = /^arn:[^:]+:([^:]+):[^:]*:[^:]*:(.+)$/.exec(bare);
    if (parts === null) return resource;
    for (const shape of ARN_NAMES.filter((entry) => entry.service === parts[1])) {
      const name = shape.resource.exec(parts[2])?.[1];
      if (name === undefined) continue;
      const named = /^\$\{([a-z][a-z0-9_]*\.[\w-]+)\.\w+\}$/.exec(name)?.[1];
      if (named !== undefined) return named + streams;
      if (byName.has(`${shape.service}|${name}`)) return (byName.get(`${shape.service}|${name}`) as string) + streams;
    }
    return resource;
  };
}
