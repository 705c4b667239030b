import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeBaseNotFound } from '../../../review/errors';
import { withBaseAndHead } from '../../../review/synthesize';
import { PROJECT_ROOT } from '../../support/app';
import { FIXTURES_DIR, stackSynthesis } from '../../support/plan-review';
import { PLAN_REVIEW_CASES } from '../../support/plan-review-cases';

/** Runs `npm run review -- <args>` as package.json defines it, without npm. */
function review(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, ...scriptArgs] = require('../../../package.json').scripts.review.split(' ');
  const result = spawnSync(command, [...scriptArgs, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const planOf = (name: string): string => path.join(FIXTURES_DIR, name, 'plan.json');

/** Writes the stack and the case's edited copy as two cdk.tf.json files. */
function synthesisFiles(name: string): { base: string; head: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-review-cli-'));
  const { document } = stackSynthesis();
  const head = structuredClone(document);
  PLAN_REVIEW_CASES.find((c) => c.name === name)?.editHead(head);
  fs.writeFileSync(path.join(dir, 'base.json'), JSON.stringify(document));
  fs.writeFileSync(path.join(dir, 'head.json'), JSON.stringify(head));
  return { base: path.join(dir, 'base.json'), head: path.join(dir, 'head.json') };
}

const BOTH_RISKS = [
  '  [data-loss] aws_dynamodb_table.orders: turns deletion protection off: a destroy or a replacement can now delete the table',
  '  [privilege] aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource',
];

describe('CLI: npm run review', () => {
  it('prints both risks with their addresses from two syntheses', () => {
    const { base, head } = synthesisFiles('protection-off-and-delete-item');
    const { status, stdout } = review('--base-synth', base, '--head-synth', head);
    expect(status).toBe(0);
    expect(stdout.split('\n').filter((line) => line.startsWith('  ['))).toEqual(BOTH_RISKS);
  });

  it('prints the same risks from the real plan', () => {
    const { stdout } = review('--plan', planOf('protection-off-and-delete-item'));
    expect(stdout.split('\n').filter((line) => line.startsWith('  ['))).toEqual(BOTH_RISKS);
  });

  it('exits 3 with --fail-on-risk when a risk is found, and 0 when none is', () => {
    expect(review('--plan', planOf('protection-off-and-delete-item'), '--fail-on-risk').status).toBe(3);
    expect(review('--plan', planOf('handler-changes'), '--fail-on-risk').status).toBe(0);
  });

  it('prints the review model with --format json', () => {
    const { stdout } = review('--plan', planOf('trust-loses-conditions'), '--format', 'json');
    const model = JSON.parse(stdout);
    expect(model.counts).toEqual({ add: 0, change: 1, destroy: 0, replace: 0, forget: 0, import: 0, move: 0 });
    expect(model.findings[0]).toEqual({
      kind: 'privilege',
      severity: 'risk',
      address: 'aws_iam_role.payment_workflow',
      message:
        'its trust policy loses its aws:SourceAccount and aws:SourceArn condition: the service may assume the role on behalf of any account or resource (confused deputy)',
      blocking: true,
    });
  });

  it('maps plan addresses to construct paths when given the head synthesis', () => {
    const { head } = synthesisFiles('protection-off-and-delete-item');
    const { stdout } = review('--plan', planOf('protection-off-and-delete-item'), '--head-synth', head);
    expect(stdout).toContain(
      '  aws_dynamodb_table.orders: update [mock-payment-workflow/payment-workflow/orders-table/table]',
    );
  });

  it('rejects an unknown option with a named error and exit 2', () => {
    const { status, stderr } = review('--plna', 'x');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^UsageError: Unknown option '--plna'/);
  });

  it('rejects an unknown format', () => {
    expect(review('--plan', planOf('handler-changes'), '--format', 'xml')).toMatchObject({
      status: 2,
      stderr: "UsageError: --format must be text, markdown or json, received 'xml'\n",
    });
  });

  it('rejects a base synthesis without a head synthesis', () => {
    expect(review('--base-synth', 'a.json').stderr).toBe(
      'UsageError: --base-synth and --head-synth go together: give both files, or neither to synthesize the merge base and the working tree\n',
    );
  });

  it('names an unreadable plan file and exits 2', () => {
    const { status, stderr } = review('--plan', '/nonexistent/plan.json');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^UnreadableInput: cannot read --plan \/nonexistent\/plan\.json: ENOENT/);
  });

  it('prints its usage with --help', () => {
    const { status, stdout } = review('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run review -- \[options\]/);
  });

  it('asks for --base-synth in a clone without a main branch', () => {
    // Prepare
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-review-clone-'));
    spawnSync('git', ['init', '-q', '-b', 'feature', repo]);
    spawnSync('git', [
      '-C',
      repo,
      '-c',
      'user.email=t@example.com',
      '-c',
      'user.name=t',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'first',
    ]);
    // Act
    const act = (): unknown => withBaseAndHead(repo, () => undefined);
    // Assess
    expect(act).toThrow(MergeBaseNotFound);
    expect(act).toThrow(
      'no main or origin/main branch to compare with: fetch main, or pass --base-synth FILE --head-synth FILE',
    );
  });
});
