import * as fs from 'node:fs';
import * as path from 'node:path';
import { createValidatedPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { DEFAULT_KEY_POLICY, type Decision, type IamRequest, type PolicyDocument, type SynthesizedRole } from './iam';
import { TEST_ACCOUNT } from './references';

/**
 * The policy documents of `iam/` (the roles around the stack: deployer, plan, operator, state backend,
 * and an example key policy), filled in and evaluated with the same IAM simulator as the stack's own
 * roles (support/iam.ts). Test-only: nothing here ships.
 */

/** The folder of the policy documents, at the project root. */
export const POLICY_DIR = path.join(__dirname, '..', '..', 'iam');

/** The placeholders docs/security.md documents, each written `${Name}` in a file. */
export const PLACEHOLDERS = [
  'AccountId',
  'Region',
  'NamePrefix',
  'TableName',
  'KmsKeyArn',
  'StateBucket',
  'StateKey',
  'StateKmsKeyArn',
] as const;

/** The trust policies of the GitHub Actions roles (docs/ci.md), proven by trust-policies.test.ts. */
export const TRUST_POLICY_FILES = ['trust-github-plan.json', 'trust-github-deploy.json'] as const;

/** The placeholders of the trust policies, documented in docs/ci.md rather than the README. */
export const TRUST_PLACEHOLDERS = ['AccountId', 'GitHubSubjectRepository'] as const;

/** One documented placeholder. */
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Values for the placeholders a file uses. */
export type PlaceholderValues = Readonly<Partial<Record<Placeholder, string>>>;

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** The text of `iam/<file>`, of this project or of the `iam/` folder `dir` (a copy's). */
export function policyText(file: string, dir = POLICY_DIR): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

/** The placeholders `iam/<file>` uses, sorted, each once. */
export function placeholdersOf(file: string): string[] {
  return [...new Set([...policyText(file).matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/**
 * `iam/<file>` with every `${Name}` replaced by its value, as `envsubst` does, and parsed. A
 * placeholder without a value fails the test rather than reach the simulator as a policy variable.
 */
export function fillPolicy(file: string, values: PlaceholderValues, dir = POLICY_DIR): PolicyDocument {
  const filled = policyText(file, dir).replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name as Placeholder];
    if (value === undefined) throw new Error(`${file} uses ${whole}, which has no value in this test`);
    return value;
  });
  return JSON.parse(filled) as PolicyDocument;
}

/** An identity of the account whose only permissions are `policies`, as the simulator helpers take it. */
export function identityWith(name: string, ...policies: PolicyDocument[]): SynthesizedRole {
  return {
    address: `iam/${name}`,
    name,
    arn: `arn:aws:iam::${TEST_ACCOUNT}:role/${name}`,
    trustPolicy: { Version: '2012-10-17', Statement: [] },
    policies: policies.map((policy, i) => ({ name: `${name}-${i}`, policy })),
  };
}

const defaultKeyPolicy = createValidatedPolicy(DEFAULT_KEY_POLICY, validateResourcePolicy, {
  name: 'DefaultKeyPolicy',
});

const isKeyArn = (resource: string) => /^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(resource);
const hasEncryptionContext = (request: IamRequest) =>
  Object.keys(request.context ?? {}).some((key) => key.startsWith('kms:EncryptionContext:'));

/**
 * Runs a simulation with the simulator's full input validation (policies, action, resource type,
 * context keys), except for a request with a `kms:EncryptionContext:<key>` context key: iam-simulate
 * 0.1.173's validating entry point drops those (support/iam.ts, `decideKeyUse`), so such a request
 * runs unvalidated. Every policy is also run validated by another test of the same file.
 */
async function evaluate(simulation: Simulation, request: IamRequest): Promise<Decision> {
  if (hasEncryptionContext(request)) return runUnsafeSimulation(simulation, {}) as Decision;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error')
    throw new Error(`IAM simulation refused its input: ${JSON.stringify(result.errors)}`);
  const ignored = (result.resultType === 'single' ? [result.result] : result.results).flatMap(
    (r) => r.ignoredContextKeys ?? [],
  );
  if (ignored.length > 0)
    throw new Error(`IAM simulation ignored the context keys ${ignored.join(', ')} of ${request.action}`);
  return result.overallResult as Decision;
}

/**
 * Whether an identity of the test account with these identity policies may make the request. The
 * resource counts as the caller's account whatever its ARN says, so that a denial of another
 * account's resource comes from the policy's `Resource`, not from the missing resource policy a
 * cross-account request would also need. A KMS key is evaluated under {@link DEFAULT_KEY_POLICY},
 * which leaves the decision to the identity policies.
 */
export function decideAs(identity: SynthesizedRole, request: IamRequest): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${identity.name}/external-roles-test`,
      action: request.action,
      resource: { resource: request.resource, accountId: TEST_ACCOUNT },
      contextVariables: { ...request.context },
    },
    identityPolicies: identity.policies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(isKeyArn(request.resource) ? { resourcePolicy: defaultKeyPolicy } : {}),
  };
  return evaluate(simulation, request);
}

/** Whether a key policy lets `principal` (a service principal such as `delivery.logs.amazonaws.com`) make the request. */
export function decideUnderKeyPolicy(
  keyPolicy: PolicyDocument,
  principal: string,
  request: IamRequest,
): Promise<Decision> {
  const validated = createValidatedPolicy(keyPolicy, validateResourcePolicy, { name: 'KeyPolicy' });
  if (validated.errors.length > 0) throw new Error(`Invalid key policy: ${JSON.stringify(validated.errors)}`);
  const simulation: Simulation = {
    request: {
      principal,
      action: request.action,
      resource: { resource: request.resource, accountId: TEST_ACCOUNT },
      contextVariables: { ...request.context },
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: validated,
  };
  return evaluate(simulation, request);
}
