import * as fs from 'node:fs';
import * as path from 'node:path';
import { createValidatedPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../support/iam';
import { policyText, placeholdersOf, TRUST_PLACEHOLDERS, TRUST_POLICY_FILES } from '../support/policy-files';
import { TEST_ACCOUNT } from '../support/references';

/**
 * The trust policies of the two GitHub Actions roles (iam/trust-github-*.json, docs/ci.md): who may
 * assume the plan role and the apply role with GitHub's OIDC token. Each is filled in with test values
 * and evaluated with the IAM simulator for sts:AssumeRoleWithWebIdentity, with the token's claims as
 * context keys, in both subject formats: name-only and with immutable owner and repository ids.
 */

const PROVIDER = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const NAME_ONLY = 'octo-org/mock-payment-workflow';
const WITH_IDS = 'octo-org@123456/mock-payment-workflow@456789';
const AUD = 'token.actions.githubusercontent.com:aud';
const SUB = 'token.actions.githubusercontent.com:sub';

/** `iam/<file>` filled in as envsubst would, with the repository as the `sub` claim spells it. */
function fillTrust(file: string, subjectRepository: string): PolicyDocument {
  const values: Record<string, string> = { AccountId: TEST_ACCOUNT, GitHubSubjectRepository: subjectRepository };
  return JSON.parse(
    policyText(file).replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (values[name] === undefined) throw new Error(`${file} uses ${whole}, which has no value in this test`);
      return values[name] as string;
    }),
  ) as PolicyDocument;
}

function simulation(trust: PolicyDocument, claims: Record<string, string>): Simulation {
  return {
    request: {
      principal: PROVIDER,
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: `arn:aws:iam::${TEST_ACCOUNT}:role/github-actions`, accountId: TEST_ACCOUNT },
      contextVariables: claims,
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: createValidatedPolicy(trust, validateTrustPolicy, { name: 'TrustPolicy' }),
  };
}

/** Whether a token with these claims may assume the role. Unvalidated: the simulator's catalogue lacks GitHub's claim keys (next describe). */
function decide(trust: PolicyDocument, claims: Record<string, string>): string {
  return runUnsafeSimulation(simulation(trust, claims), {}) as string;
}

describe('Trust policies: iam/trust-github-*.json', () => {
  it.each(TRUST_POLICY_FILES)('iam/%s uses only the placeholders docs/ci.md documents', (file) => {
    expect(placeholdersOf(file)).toEqual([...TRUST_PLACEHOLDERS].sort());
  });

  it.each(TRUST_PLACEHOLDERS)('docs/ci.md documents the placeholder ${%s}', (name) => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'ci.md'), 'utf8');
    expect(docs).toContain(`\`\${${name}}\``);
  });

  it.each(TRUST_POLICY_FILES)('iam/%s is a valid trust policy once filled in', (file) => {
    expect(validateTrustPolicy(fillTrust(file, NAME_ONLY))).toEqual([]);
  });

  it('the simulator checks these claims only unvalidated: its catalogue does not know GitHub claim keys', async () => {
    // Prepare
    const claims = { [AUD]: 'sts.amazonaws.com', [SUB]: `repo:${NAME_ONLY}:pull_request` };
    // Act
    const result = await runSimulation(simulation(fillTrust('trust-github-plan.json', NAME_ONLY), claims), {});
    // Assess
    expect(result.resultType === 'single' ? result.result.ignoredContextKeys : undefined).toEqual([AUD, SUB]);
  });

  it('lets GitHub assume the plan role for a pull request and for main, with the audience sts.amazonaws.com', () => {
    const trust = fillTrust('trust-github-plan.json', NAME_ONLY);
    expect(
      decide(trust, { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:octo-org/mock-payment-workflow:pull_request' }),
    ).toBe('Allowed');
    expect(
      decide(trust, { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:octo-org/mock-payment-workflow:ref:refs/heads/main' }),
    ).toBe('Allowed');
  });

  it.each([
    ['another branch', 'repo:octo-org/mock-payment-workflow:ref:refs/heads/feature'],
    ['the production environment', 'repo:octo-org/mock-payment-workflow:environment:production'],
    ['another repository', 'repo:octo-org/other:pull_request'],
    ['a repository whose name starts the same', 'repo:octo-org/mock-payment-workflow-fork:pull_request'],
  ])('refuses the plan role to %s', (_case, sub) => {
    expect(decide(fillTrust('trust-github-plan.json', NAME_ONLY), { [AUD]: 'sts.amazonaws.com', [SUB]: sub })).toBe(
      'ImplicitlyDenied',
    );
  });

  it('refuses the plan role to a token of another audience', () => {
    const trust = fillTrust('trust-github-plan.json', NAME_ONLY);
    expect(
      decide(trust, {
        [AUD]: 'https://github.com/octo-org',
        [SUB]: 'repo:octo-org/mock-payment-workflow:pull_request',
      }),
    ).toBe('ImplicitlyDenied');
  });

  it('lets GitHub assume the apply role only in the production environment', () => {
    const trust = fillTrust('trust-github-deploy.json', NAME_ONLY);
    expect(
      decide(trust, {
        [AUD]: 'sts.amazonaws.com',
        [SUB]: 'repo:octo-org/mock-payment-workflow:environment:production',
      }),
    ).toBe('Allowed');
  });

  it.each([
    ['a pull request', 'repo:octo-org/mock-payment-workflow:pull_request'],
    ['a push to main outside the environment', 'repo:octo-org/mock-payment-workflow:ref:refs/heads/main'],
    ['another environment', 'repo:octo-org/mock-payment-workflow:environment:staging'],
  ])('refuses the apply role to %s', (_case, sub) => {
    expect(decide(fillTrust('trust-github-deploy.json', NAME_ONLY), { [AUD]: 'sts.amazonaws.com', [SUB]: sub })).toBe(
      'ImplicitlyDenied',
    );
  });

  it('refuses a token with immutable ids when the file holds the name-only subject: every run of a new repository is denied', () => {
    const trust = fillTrust('trust-github-deploy.json', NAME_ONLY);
    expect(
      decide(trust, {
        [AUD]: 'sts.amazonaws.com',
        [SUB]: 'repo:octo-org@123456/mock-payment-workflow@456789:environment:production',
      }),
    ).toBe('ImplicitlyDenied');
  });

  it('admits a token with immutable ids when the file holds that subject', () => {
    const trust = fillTrust('trust-github-deploy.json', WITH_IDS);
    expect(
      decide(trust, {
        [AUD]: 'sts.amazonaws.com',
        [SUB]: 'repo:octo-org@123456/mock-payment-workflow@456789:environment:production',
      }),
    ).toBe('Allowed');
  });

  it('refuses a recycled name under other ids when the file holds the subject with ids', () => {
    const trust = fillTrust('trust-github-deploy.json', WITH_IDS);
    expect(
      decide(trust, {
        [AUD]: 'sts.amazonaws.com',
        [SUB]: 'repo:octo-org@999999/mock-payment-workflow@456789:environment:production',
      }),
    ).toBe('ImplicitlyDenied');
  });

  it('names the account OIDC provider of token.actions.githubusercontent.com as the only principal, with StringEquals only', () => {
    for (const file of TRUST_POLICY_FILES) {
      const [statement, ...others] = fillTrust(file, NAME_ONLY).Statement;
      expect(others).toEqual([]);
      expect(statement?.Principal).toEqual({
        Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      });
      expect(Object.keys(statement?.Condition ?? {})).toEqual(['StringEquals']);
    }
  });
});
