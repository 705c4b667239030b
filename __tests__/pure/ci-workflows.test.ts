import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_ENV_VARS } from '../../lib/load-config';
import { STACK_NAME } from '../../lib/payment-workflow-stack';
import { RISK_ACKNOWLEDGED_LABEL } from '../../review/model';
import { TERRAIN_MIN_NODE_MAJOR } from '../../terrain/versions';
import { PROJECT_ROOT } from '../support/app';

/** The parts of a GitHub Actions workflow the tests read. */
interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly 'working-directory'?: string;
  readonly 'continue-on-error'?: boolean;
}
interface Job {
  readonly name?: string;
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: string | { readonly name: string };
  readonly 'timeout-minutes'?: number;
  readonly concurrency?: unknown;
  readonly permissions?: Record<string, string> | string;
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const WORKFLOWS_DIR = path.join(PROJECT_ROOT, '.github', 'workflows');
const STACK_DIR = `cdktf.out/stacks/${STACK_NAME}`;

const load = (file: string): Workflow => parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) as Workflow;
const allSteps = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps);
const runLines = (job: Job): string[] =>
  job.steps
    .flatMap((step) => (step.run ?? '').split('\n'))
    .map((l) => l.trim())
    .filter(Boolean);
const indexOfRun = (job: Job, pattern: RegExp): number => job.steps.findIndex((step) => pattern.test(step.run ?? ''));

/** The commands of the README's Quick start, which CI must run the same way. */
function readmeQuickStart(): string[] {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /\n## Quick start\n[\s\S]*?```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/** A step that changes infrastructure. */
const APPLYING = /\bterraform\s+(apply|destroy|import)\b|\bcdktf\s+(deploy|destroy|apply)\b|-auto-approve/;

describe('CI: pull request workflow', () => {
  const workflow = load('pull-request.yml');
  const { test, plan, 'synthesize-fork': fork } = workflow.jobs;

  it('runs on pull requests only, never with the base repository rights of pull_request_target', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
  });

  it('runs again when a label is added or removed, so acknowledging a risk reviews again', () => {
    expect(workflow.on.pull_request).toEqual({
      branches: ['main'],
      types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'],
    });
  });

  it('grants nothing by default, and no job may comment or set a status', () => {
    expect(workflow.permissions).toEqual({});
    expect(test.permissions).toEqual({ contents: 'read' });
    expect(plan.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(fork.permissions).toEqual({ contents: 'read' });
  });

  it('installs and tests with the commands of the README, in its order', () => {
    // Prepare
    const readme = readmeQuickStart();
    // The browser install is CI's own step, where Debian's Chromium is not at hand (README, Plan review).
    const commands = runLines(test).filter((command) => !/playwright-core install|CHROMIUM_PATH/.test(command));
    // Act
    const positions = commands.map((command) => readme.indexOf(command));
    // Assess
    expect(commands).toEqual(['npm ci', 'npm test']);
    expect(positions.every((position, i) => position >= 0 && (i === 0 || position > positions[i - 1]))).toBe(true);
    expect(runLines(plan)[0]).toBe(readme[0]);
  });

  it('never applies anything from a pull request', () => {
    const applying = allSteps(workflow).filter(
      (step) => APPLYING.test(step.run ?? '') || /apply/i.test(step.uses ?? ''),
    );
    expect(applying).toEqual([]);
  });

  it("decides nothing with the pull request's code: no review, no gate, no comment", () => {
    const steps = allSteps(workflow);
    expect(steps.filter((step) => /npm run -s review|review\/gate\.ts/.test(step.run ?? ''))).toEqual([]);
    expect(steps.filter((step) => step.uses?.startsWith('actions/github-script@'))).toEqual([]);
  });

  it('plans the deployable stack after installing and synthesizing, once the tests passed', () => {
    expect(plan.needs).toBe('test');
    const install = indexOfRun(plan, /^npm ci$/);
    const synth = indexOfRun(plan, /^npx cdktf synth$/);
    const init = indexOfRun(plan, /^terraform init\b/);
    const planStep = indexOfRun(plan, /terraform plan\b/);
    expect(install).toBeGreaterThanOrEqual(0);
    expect([install < synth, synth < init, init < planStep]).toEqual([true, true, true]);
    expect(plan.steps[init]['working-directory']).toBe(STACK_DIR);
    expect(plan.steps[planStep]['working-directory']).toBe(STACK_DIR);
  });

  it('takes AWS credentials from OIDC with the plan role of a repository variable, never from stored keys', () => {
    const credentials = plan.steps.filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentials).toHaveLength(1);
    expect(credentials[0].with?.['role-to-assume']).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
    expect(Object.keys(credentials[0].with ?? {})).not.toContain('aws-access-key-id');
    expect(fs.readFileSync(path.join(WORKFLOWS_DIR, 'pull-request.yml'), 'utf8')).not.toMatch(/secrets\.AWS_/);
  });

  it('gives the plan the read-only HCP Terraform token, on the Terraform steps only', () => {
    const withToken = plan.steps.filter((step) => step.env?.TF_TOKEN_app_terraform_io !== undefined);
    expect(withToken.map((step) => step.name)).toEqual(['Terraform init', 'Terraform plan']);
    expect(withToken.map((step) => step.env?.TF_TOKEN_app_terraform_io)).toEqual([
      '${{ secrets.TF_PLAN_API_TOKEN }}',
      '${{ secrets.TF_PLAN_API_TOKEN }}',
    ]);
    expect(fs.readFileSync(path.join(WORKFLOWS_DIR, 'pull-request.yml'), 'utf8')).not.toContain('secrets.TF_API_TOKEN');
  });

  it('skips the plan for a fork, which gets no OIDC token', () => {
    expect(plan.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it('stops unless the state backend is s3 or cloud', () => {
    const guard = plan.steps.find((step) => /MPW_BACKEND/.test(step.run ?? ''));
    expect(guard?.run).toMatch(/"\$MPW_BACKEND" != s3 \] && \[ "\$MPW_BACKEND" != cloud \]/);
    expect(plan.env?.MPW_BACKEND).toBe('${{ vars.MPW_BACKEND }}');
  });

  it('uploads the plan JSON, the head synthesis and meta.json of mode plan, kept one day', () => {
    const planStep = plan.steps.find((step) => step.name === 'Terraform plan') as Step;
    expect(planStep.run).toContain('terraform show -json tfplan > plan.json');
    const gather = plan.steps.find((step) => step.name === "Gather the review's data") as Step;
    expect(gather.run).toContain('cp "$STACK_DIR/plan.json" plan-review-data/plan.json');
    expect(gather.run).toContain('cp "$STACK_DIR/cdk.tf.json" plan-review-data/head.tf.json');
    expect(gather.run).toContain(
      `printf '{"pullRequest":%s,"headSha":"%s","mode":"plan"}' "$PR_NUMBER" "$HEAD_SHA" > plan-review-data/meta.json`,
    );
    expect(gather.env).toMatchObject({
      PR_NUMBER: '${{ github.event.pull_request.number }}',
      HEAD_SHA: '${{ github.event.pull_request.head.sha }}',
    });
    const upload = plan.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@')) as Step;
    expect(upload.with).toEqual({
      name: 'plan-review-data',
      path: 'plan-review-data/',
      'retention-days': 1,
      overwrite: true,
    });
  });

  it('synthesizes a fork at its base commit and at its head, without credentials, and uploads them as mode synthesis', () => {
    expect(fork.if).toBe('github.event.pull_request.head.repo.full_name != github.repository');
    expect(fork.steps.filter((step) => step.uses?.startsWith('aws-actions/'))).toEqual([]);
    const checkout = fork.steps.find((step) => step.uses?.startsWith('actions/checkout@')) as Step;
    expect(checkout.with).toEqual({ 'persist-credentials': false, 'fetch-depth': 0 });
    const synth = fork.steps.find((step) => step.name === 'Synthesize the base and the head') as Step;
    expect(synth.env?.BASE_SHA).toBe('${{ github.event.pull_request.base.sha }}');
    expect(synth.run).toContain('git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"');
    expect(synth.run).toContain(
      `printf '{"pullRequest":%s,"headSha":"%s","mode":"synthesis"}' "$PR_NUMBER" "$HEAD_SHA" > plan-review-data/meta.json`,
    );
    const upload = fork.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@')) as Step;
    expect(upload.with).toMatchObject({ name: 'plan-review-data', path: 'plan-review-data/', overwrite: true });
  });
});

describe("CI: plan review comment workflow (main's reviewer, main's gate)", () => {
  const workflow = load('plan-review-comment.yml');
  const jobs = Object.values(workflow.jobs);
  const [job] = jobs;
  const step = (name: string): Step => job.steps.find((s) => s.name === name || s.id === name) as Step;

  it('runs after the pull request workflow, never on pull_request_target', () => {
    expect(workflow.on).toEqual({ workflow_run: { workflows: ['Pull request'], types: ['completed'] } });
    expect(load('pull-request.yml')).toMatchObject({ name: 'Pull request' });
  });

  it('reviews every pull request run that was not cancelled, with least permissions', () => {
    expect(workflow.permissions).toEqual({});
    expect(jobs).toHaveLength(1);
    expect(job.if).toBe(
      "github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion != 'cancelled'",
    );
    expect(job.permissions).toEqual({ actions: 'read', contents: 'read', 'pull-requests': 'write', statuses: 'write' });
  });

  it('posts one review per pull request branch at a time', () => {
    expect(job.concurrency).toEqual({
      group:
        'plan-review-comment-${{ github.event.workflow_run.head_repository.full_name }}-${{ github.event.workflow_run.head_branch }}',
      'cancel-in-progress': true,
    });
  });

  it("checks out the default branch only, never the pull request's head", () => {
    const checkouts = job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts.map((s) => s.with)).toEqual([
      { ref: '${{ github.event.repository.default_branch }}', 'persist-credentials': false },
    ]);
    const text = fs.readFileSync(path.join(WORKFLOWS_DIR, 'plan-review-comment.yml'), 'utf8');
    expect((text.match(/^\s*ref:.*$/gm) ?? []).map((line) => line.trim())).toEqual([
      'ref: ${{ github.event.repository.default_branch }}',
    ]);
    expect(runLines(job).filter((line) => /\bgit (checkout|fetch|clone|worktree)\b/.test(line))).toEqual([]);
  });

  it('downloads the artifact outside the workspace, where nothing of it sits beside the checked-out code', () => {
    expect(step('download').with).toMatchObject({
      name: 'plan-review-data',
      path: '${{ runner.temp }}/untrusted',
      'run-id': '${{ github.event.workflow_run.id }}',
    });
    expect(step('download')['continue-on-error']).toBe(true);
  });

  it("checks every file of the artifact against the run's own head commit before anything reads it", () => {
    const check = step('artifact');
    expect(check.run).toBe(
      'node -r esbuild-register review/artifact.ts check "$RUNNER_TEMP/untrusted" "$RUNNER_TEMP/checked"',
    );
    expect(check.env).toEqual({ EXPECTED_HEAD_SHA: '${{ github.event.workflow_run.head_sha }}' });
    const readers = job.steps.filter((s) => (s.run ?? '').includes('$RUNNER_TEMP/untrusted'));
    expect(readers).toEqual([check]);
  });

  it("reviews only the checked copies, with main's npm run review", () => {
    const review = step('review');
    expect(review.if).toBe("steps.pull.outcome == 'success'");
    expect(review.run).toContain(
      'set -- --plan "$RUNNER_TEMP/checked/plan.json" --head-synth "$RUNNER_TEMP/checked/head.tf.json"',
    );
    expect(review.run).toContain(
      'set -- --base-synth "$RUNNER_TEMP/checked/base.tf.json" --head-synth "$RUNNER_TEMP/checked/head.tf.json"',
    );
    expect(review.run).toContain('npm run -s review -- "$@" --format json > review.json');
  });

  it("prints the pull request's text into the log with workflow commands stopped", () => {
    const lines = (step('review').run ?? '').split('\n').map((line) => line.trim());
    const stop = lines.indexOf('echo "::stop-commands::$token"');
    expect([lines[stop - 1], lines[stop + 1], lines[stop + 2]]).toEqual([
      'token="$(openssl rand -hex 16)"',
      'cat review.txt',
      'echo "::$token::"',
    ]);
  });

  it("gates with main's review/gate.ts, acknowledged by the labels the API reports now, not by the event's", () => {
    const gate = step('gate');
    expect(gate.run).toBe('node -r esbuild-register review/gate.ts review.json');
    expect(gate.env).toEqual({ ACKNOWLEDGED: '${{ steps.pull.outputs.acknowledged }}' });
    const pull = step('pull');
    expect(pull.with?.script).toContain(
      "core.setOutput('acknowledged', String(pull.labels.some((label) => label.name === process.env.LABEL)))",
    );
    expect(pull.env?.LABEL).toBe(RISK_ACKNOWLEDGED_LABEL);
    expect(fs.readFileSync(path.join(WORKFLOWS_DIR, 'plan-review-comment.yml'), 'utf8')).not.toContain('labels.*.name');
  });

  it("posts only to the pull request whose head and repository are the run's", () => {
    const script = String(step('pull').with?.script);
    expect(script).toContain('if (pull.head.sha !== run.head_sha)');
    expect(script).toContain('if (pull.head.repo?.full_name !== run.head_repository.full_name)');
  });

  it('posts the review with every @ neutralized, as the one comment of github-actions[bot]', () => {
    const script = String(step('Post the review to the pull request').with?.script);
    expect(script).toContain(
      "execFileSync('node', ['-r', 'esbuild-register', 'review/artifact.ts', 'mentions', 'review.md']",
    );
    expect(script).toContain("const marker = '<!-- mock-payment-workflow-plan -->'");
    expect(script).toContain("c.user?.login === 'github-actions[bot]' && c.body?.includes(marker)");
  });

  it("sets the commit status Plan review on the run's head commit, failing unless the gate passed", () => {
    const status = step('Set the commit status');
    expect(status.if).toBe('always()');
    expect(status.env).toEqual({ GATE: '${{ steps.gate.outcome }}', REVIEW: '${{ steps.review.outcome }}' });
    const script = String(status.with?.script);
    expect(script).toContain("const passed = process.env.GATE === 'success';");
    expect(script).toContain("state: passed ? 'success' : 'failure'");
    expect(script).toContain("context: 'Plan review'");
    expect(script).toContain('sha: run.head_sha');
  });
});

describe('CI: risk acknowledgement workflow', () => {
  const workflow = load('acknowledgement.yml');
  const jobs = Object.values(workflow.jobs);

  it('runs on every push to a pull request and on a reopen, forks included', () => {
    expect(workflow.on).toEqual({ pull_request_target: { types: ['synchronize', 'reopened'] } });
  });

  it('removes only the acknowledgement label, and only when it is there', () => {
    expect(jobs).toHaveLength(1);
    expect(jobs[0].if).toBe(`contains(github.event.pull_request.labels.*.name, '${RISK_ACKNOWLEDGED_LABEL}')`);
    expect(jobs[0].steps[0].env).toEqual({ LABEL: RISK_ACKNOWLEDGED_LABEL });
    expect(String(jobs[0].steps[0].with?.script)).toContain(
      'await github.rest.issues.removeLabel({ owner, repo, issue_number, name: process.env.LABEL });',
    );
  });

  it("never checks out or runs the pull request's code, with pull-requests: write only", () => {
    expect(workflow.permissions).toEqual({});
    expect(jobs[0].permissions).toEqual({ 'pull-requests': 'write' });
    expect(jobs[0].steps.map((s) => s.uses)).toEqual(['actions/github-script@v8']);
  });
});

describe('CI: apply workflow', () => {
  const workflow = load('apply.yml');
  const { plan, apply } = workflow.jobs;

  it('runs on a push to main or by hand, never for a pull request', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
  });

  it('plans outside the environment and applies behind production, with least permissions', () => {
    expect(workflow.permissions).toEqual({});
    expect(Object.keys(workflow.jobs)).toEqual(['plan', 'apply']);
    expect(plan.environment).toBeUndefined();
    expect(plan.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(apply.needs).toBe('plan');
    expect(apply.environment).toBe('production');
    expect(apply.permissions).toEqual({ 'id-token': 'write' });
  });

  it('installs Terraform before the tests, then synthesizes and plans with -out=tfplan', () => {
    const terraform = plan.steps.findIndex((s) => s.uses?.startsWith('hashicorp/setup-terraform@'));
    const steps = ['npm ci', 'npm test', 'npx cdktf synth', 'terraform init', 'terraform plan'].map((command) =>
      indexOfRun(plan, new RegExp(`^${command}\\b`, 'm')),
    );
    expect(steps.every((index, i) => index >= 0 && (i === 0 || index > steps[i - 1]))).toBe(true);
    expect([steps[0] < terraform, terraform < steps[1]]).toEqual([true, true]);
    expect(plan.steps[steps[4]].run).toContain('terraform plan -input=false -no-color -lock=false -out=tfplan');
  });

  it("writes that plan's review into the job summary and keeps the plan JSON out of the artifact", () => {
    const review = plan.steps.find((s) => s.name === 'Review the plan in the job summary') as Step;
    expect(review.run).toContain('--format markdown >> "$GITHUB_STEP_SUMMARY"');
    expect(review.run).toContain('rm "$STACK_DIR/plan.json"');
  });

  it('uploads the stack folder with the plan, the zips and the lock file, but not the providers', () => {
    const upload = plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@')) as Step;
    expect(upload.with).toEqual({
      name: 'production-plan',
      path: `${STACK_DIR}/\n!${STACK_DIR}/.terraform/\n`,
      'include-hidden-files': true,
      'retention-days': 1,
      overwrite: true,
    });
  });

  it('applies exactly the uploaded plan, checked by its SHA-256, without npm, synthesis or a new plan', () => {
    expect(
      apply.steps.filter((s) => s.uses?.startsWith('actions/checkout@') || s.uses?.startsWith('actions/setup-node@')),
    ).toEqual([]);
    expect(runLines(apply).filter((line) => /\bnpm\b|\bnpx\b|terraform plan/.test(line))).toEqual([]);
    expect(apply.steps[0]).toMatchObject({
      uses: 'actions/download-artifact@v7',
      with: { name: 'production-plan', path: STACK_DIR },
    });
    const check = apply.steps.find((s) => s.name === 'Check that the plan is the one reviewed') as Step;
    expect(check.env).toEqual({ PLAN_SHA256: '${{ needs.plan.outputs.plan-sha256 }}' });
    expect(check.run).toBe('echo "$PLAN_SHA256  $STACK_DIR/tfplan" | sha256sum --check');
    expect(plan.steps.find((s) => s.id === 'plan')?.run).toContain(
      `echo "sha256=$(sha256sum tfplan | cut -d' ' -f1)" >> "$GITHUB_OUTPUT"`,
    );
    const applyStep = apply.steps.find((s) => APPLYING.test(s.run ?? '')) as Step;
    expect(applyStep.run).toBe('terraform apply -input=false -no-color tfplan');
    expect(applyStep['working-directory']).toBe(STACK_DIR);
  });

  it('plans with the plan role and applies with the apply role, both from OIDC', () => {
    const role = (job: Job) =>
      job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with?.['role-to-assume'];
    expect([role(plan), role(apply)]).toEqual(['${{ vars.AWS_PLAN_ROLE_ARN }}', '${{ vars.AWS_APPLY_ROLE_ARN }}']);
  });

  it('gives the write token of the production environment to the apply steps only, the read token to the plan', () => {
    const tokens = (job: Job) =>
      job.steps
        .filter((s) => s.env?.TF_TOKEN_app_terraform_io !== undefined)
        .map((s) => [s.name, s.env?.TF_TOKEN_app_terraform_io]);
    expect(tokens(plan)).toEqual([
      ['Terraform init', '${{ secrets.TF_PLAN_API_TOKEN }}'],
      ['Terraform plan', '${{ secrets.TF_PLAN_API_TOKEN }}'],
    ]);
    expect(tokens(apply)).toEqual([
      ['Terraform init', '${{ secrets.TF_API_TOKEN }}'],
      ['Terraform apply', '${{ secrets.TF_API_TOKEN }}'],
    ]);
  });
});

describe('CI: code owners', () => {
  const owners = fs
    .readFileSync(path.join(PROJECT_ROOT, '.github', 'CODEOWNERS'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split(/\s+/)[0]);

  it('names owners for the reviewer, its rules, the workflows and the IAM policies', () => {
    expect(owners).toEqual(['/review/', '/.plan-review.json', '/.github/', '/iam/']);
  });
});

describe('CI: CDK Terrain workflow', () => {
  const workflow = load('cdk-terrain.yml');
  const jobs = Object.values(workflow.jobs);

  it('runs weekly and by hand, never for a pull request or a push', () => {
    expect(workflow.on).toEqual({ schedule: [{ cron: '17 5 * * 1' }], workflow_dispatch: null });
  });

  it('grants nothing by default, and its one job only reads the repository', () => {
    expect(workflow.permissions).toEqual({});
    expect(jobs).toHaveLength(1);
    expect(jobs[0].permissions).toEqual({ contents: 'read' });
  });

  it('installs with npm ci, then runs the check:cdk-terrain script of package.json', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(runLines(jobs[0])).toEqual(['npm ci', 'npm run check:cdk-terrain']);
    expect(scripts['check:cdk-terrain']).toBe('node -r esbuild-register terrain/cli.ts');
  });

  it('runs on Node.js 24, which CDK Terrain 0.24 needs (22 or later)', () => {
    const setups = jobs[0].steps.filter((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setups.map((setup) => setup.with?.['node-version'])).toEqual([24]);
    expect(TERRAIN_MIN_NODE_MAJOR).toBeLessThanOrEqual(24);
  });

  it('uses no credentials: no cloud login, no secret, and a checkout that keeps no token', () => {
    const text = fs.readFileSync(path.join(WORKFLOWS_DIR, 'cdk-terrain.yml'), 'utf8');
    expect(jobs[0].steps.filter((step) => step.uses?.startsWith('aws-actions/'))).toEqual([]);
    expect(text).not.toMatch(/secrets\./);
    expect(jobs[0].steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toEqual({
      'persist-credentials': false,
    });
  });
});

describe('CI: mutation testing workflow', () => {
  const workflow = load('mutation.yml');
  const jobs = Object.values(workflow.jobs);

  it('runs weekly and by hand, never for a pull request or a push', () => {
    expect(workflow.on).toEqual({ schedule: [{ cron: '23 6 * * 1' }], workflow_dispatch: null });
  });

  it('grants nothing by default, and its one job only reads the repository', () => {
    expect(workflow.permissions).toEqual({});
    expect(jobs).toHaveLength(1);
    expect(jobs[0].permissions).toEqual({ contents: 'read' });
  });

  it('installs with npm ci, then runs the mutate script of package.json, which runs Stryker', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(runLines(jobs[0])).toEqual(['npm ci', 'npm run mutate']);
    expect(scripts.mutate).toBe('stryker run');
  });

  it('keeps the report of a failed run as an artifact', () => {
    const upload = jobs[0].steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.path).toBe('reports/mutation/');
  });

  it('uses no credentials: no cloud login, no secret, and a checkout that keeps no token', () => {
    const text = fs.readFileSync(path.join(WORKFLOWS_DIR, 'mutation.yml'), 'utf8');
    expect(jobs[0].steps.filter((step) => step.uses?.startsWith('aws-actions/'))).toEqual([]);
    expect(text).not.toMatch(/secrets\./);
    expect(jobs[0].steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toEqual({
      'persist-credentials': false,
    });
  });
});

describe('CI: every workflow', () => {
  const files = fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));

  it('is one of the seven described in docs/ci.md', () => {
    const docs = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'ci.md'), 'utf8');
    expect(files.sort()).toEqual([
      'acknowledgement.yml',
      'apply.yml',
      'cdk-terrain.yml',
      'mutation.yml',
      'plan-review-comment.yml',
      'pull-request.yml',
      'release.yml',
    ]);
    expect(files.filter((file) => !docs.includes(`\`${file}\``))).toEqual([]);
  });

  it.each(files)('%s bounds every job with timeout-minutes', (file) => {
    const jobs = Object.entries(load(file).jobs).map(([id, job]) => [id, typeof job['timeout-minutes']]);
    expect(jobs.filter(([, type]) => type !== 'number')).toEqual([]);
  });

  it.each(files)(
    '%s sets no secret at workflow or job level, where every step (npm install scripts too) would see it',
    (file) => {
      const workflow = load(file);
      const envs = [workflow.env, ...Object.values(workflow.jobs).map((job) => job.env)].flatMap((env) =>
        Object.values(env ?? {}),
      );
      expect(envs.filter((value) => /secrets\./.test(String(value)))).toEqual([]);
    },
  );

  it.each(files)('%s uploads artifacts with overwrite, so a re-run can upload again', (file) => {
    const uploads = allSteps(load(file)).filter((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads.filter((step) => step.with?.overwrite !== true)).toEqual([]);
  });

  it.each(files)('%s pins every action to a major version or a commit', (file) => {
    const actionSteps = allSteps(load(file)).filter((s) => s.uses !== undefined);
    // Each workflow checks out or posts with an action at least: none found means the steps were not read.
    expect(actionSteps.length).toBeGreaterThan(0);
    for (const step of actionSteps) {
      expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    }
  });

  it.each(files)('%s grants no write-all or read-all', (file) => {
    const text = fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
    expect(text).not.toMatch(/(write|read)-all/);
  });

  it('grants contents: write to no job but the release, which pushes a tag and creates the release', () => {
    const writers = files.flatMap((file) =>
      Object.entries(load(file).jobs)
        .filter(([, job]) => typeof job.permissions === 'object' && job.permissions.contents === 'write')
        .map(([id]) => `${file}:${id}`),
    );
    expect(writers).toEqual(['release.yml:release']);
  });

  it.each(files)('%s passes only MPW_* settings the app knows, which would otherwise stop the synth', (file) => {
    const workflow = load(file);
    const names = [workflow.env, ...Object.values(workflow.jobs).map((job) => job.env)].flatMap((env) =>
      Object.keys(env ?? {}),
    );
    const unknown = names.filter((name) => name.startsWith('MPW_') && !CONFIG_ENV_VARS.includes(name));
    expect(unknown).toEqual([]);
  });

  // acknowledgement.yml runs no Node.js project code: it only calls the API.
  it.each(files.filter((file) => file !== 'acknowledgement.yml'))(
    '%s runs on Node.js 24, the major of .node-version',
    (file) => {
      const setups = allSteps(load(file)).filter((step) => step.uses?.startsWith('actions/setup-node@'));
      expect(setups.length).toBeGreaterThan(0);
      for (const setup of setups) expect(setup.with?.['node-version']).toBe(24);
    },
  );

  it.each(files)('%s uses actions of majors that run on Node.js 24', (file) => {
    const NODE_24_MAJORS: Readonly<Record<string, string>> = {
      'actions/checkout': 'v5',
      'actions/setup-node': 'v5',
      'actions/github-script': 'v8',
      'actions/upload-artifact': 'v6',
      'actions/download-artifact': 'v7',
      'aws-actions/configure-aws-credentials': 'v6',
      'hashicorp/setup-terraform': 'v4',
    };
    const actionSteps = allSteps(load(file)).filter((s) => s.uses !== undefined);
    expect(actionSteps.length).toBeGreaterThan(0);
    for (const step of actionSteps) {
      const [action, major] = (step.uses as string).split('@');
      if (action in NODE_24_MAJORS) expect({ action, major }).toEqual({ action, major: NODE_24_MAJORS[action] });
    }
  });

  it.each(files.filter((file) => allSteps(load(file)).some((step) => step.run === 'npm test')))(
    '%s installs a Chromium for the browser tests before npm test, relying on none of the runner',
    (file) => {
      const steps = allSteps(load(file));
      const install = steps.findIndex((step) =>
        (step.run ?? '').includes('playwright-core install --with-deps chromium'),
      );
      expect(install).toBeGreaterThanOrEqual(0);
      expect(steps.findIndex((step) => step.run === 'npm test')).toBeGreaterThan(install);
    },
  );
});

describe('Node.js versions', () => {
  const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  const nodeVersion = fs.readFileSync(path.join(PROJECT_ROOT, '.node-version'), 'utf8').trim();
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

  it('develops and tests on an exact Node.js 24, the major of the Lambda runtime', () => {
    expect(nodeVersion).toMatch(/^24\.\d+\.\d+$/);
  });

  it('accepts Node.js 22 or later, the oldest with Promise.withResolvers and the oldest CDK Terrain supports', () => {
    expect(packageJson.engines).toEqual({ node: '>=22' });
  });

  it('says in the README which Node.js the project runs on and how to get it on an older one', () => {
    expect(readme).toContain(`Node.js ${nodeVersion}`);
    expect(readme).toContain('source scripts/use-node-24.sh');
  });

  it('provisions that Node.js in .ci/run before installing', () => {
    const ci = fs.readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8');
    expect(ci.indexOf('source scripts/use-node-24.sh')).toBeGreaterThan(0);
    expect(ci.indexOf('source scripts/use-node-24.sh')).toBeLessThan(ci.indexOf('npm ci'));
  });
});
