import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_ENV_VARS } from '../lib/load-config';
import { STACK_NAME } from '../lib/payment-workflow-stack';
import { RISK_ACKNOWLEDGED_LABEL } from '../review/model';
import { TERRAIN_MIN_NODE_MAJOR } from '../terrain/versions';
import { PROJECT_ROOT } from './support/app';

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
}
interface Job {
  readonly name?: string;
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: string | { readonly name: string };
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
const runLines = (job: Job): string[] => job.steps.flatMap((step) => (step.run ?? '').split('\n')).map((l) => l.trim()).filter(Boolean);
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
  const { test, plan, 'review-fork': reviewFork } = workflow.jobs;

  it('runs on pull requests only, never with the base repository rights of pull_request_target', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
  });

  it('runs again when a label is added or removed, so acknowledging a risk clears the check', () => {
    expect(workflow.on.pull_request).toEqual({ branches: ['main'], types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'] });
  });

  it('grants nothing by default, and each job only what it needs', () => {
    expect(workflow.permissions).toEqual({});
    expect(test.permissions).toEqual({ contents: 'read' });
    expect(plan.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
    expect(reviewFork.permissions).toEqual({ contents: 'read' });
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
    const applying = allSteps(workflow).filter((step) => APPLYING.test(step.run ?? '') || /apply/i.test(step.uses ?? ''));
    expect(applying).toEqual([]);
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

  it('skips the plan for a fork, which gets no OIDC token', () => {
    expect(plan.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it('stops unless the state backend is s3 or cloud', () => {
    const guard = plan.steps.find((step) => /MPW_BACKEND/.test(step.run ?? ''));
    expect(guard?.run).toMatch(/"\$MPW_BACKEND" != s3 \] && \[ "\$MPW_BACKEND" != cloud \]/);
    expect(plan.env?.MPW_BACKEND).toBe('${{ vars.MPW_BACKEND }}');
  });

  it('reviews the saved plan with npm run review, as markdown for the comment and as JSON for the check', () => {
    const planStep = plan.steps.find((step) => step.id === 'plan') as Step;
    expect(planStep.run).toContain('terraform show -json tfplan > plan.json');
    const review = plan.steps.find((step) => step.id === 'review') as Step;
    const commands = (review.run ?? '').split('\n').filter((line) => line.startsWith('npm run -s review'));
    expect(commands.map((command) => /--format (\w+)/.exec(command)?.[1] ?? 'text')).toEqual(['text', 'markdown', 'json']);
    expect(commands.every((command) => command.includes('--plan "$STACK_DIR/plan.json" --head-synth "$STACK_DIR/cdk.tf.json"'))).toBe(true);
  });

  it('posts the review, or a failed plan, as one comment it updates on every push', () => {
    const planStep = plan.steps.find((step) => step.id === 'plan') as Step;
    expect(planStep).toMatchObject({ 'continue-on-error': true });
    const comment = plan.steps.find((step) => step.uses?.startsWith('actions/github-script@')) as Step;
    const script = String(comment.with?.script);
    expect(comment.if).toBe("steps.plan.outcome == 'success' || steps.plan.outcome == 'failure'");
    expect(script).toContain("const marker = '<!-- mock-payment-workflow-plan -->'");
    expect(script).toContain("fs.readFileSync('review.md', 'utf8')");
    expect(script).toMatch(/c\.body\?\.includes\(marker\)/);
    expect(script).toMatch(/if \(previous\) \{\s+await github\.rest\.issues\.updateComment[\s\S]*\} else \{\s+await github\.rest\.issues\.createComment/);
    const failStep = plan.steps[plan.steps.length - 1];
    expect(failStep).toMatchObject({ if: "steps.plan.outcome == 'failure'" });
  });

  it.each(['plan', 'review-fork'])('%s fails on an unacknowledged data-loss or privilege risk unless the label is on the pull request', (jobId) => {
    const gate = workflow.jobs[jobId].steps.find((step) => /review\/gate\.ts/.test(step.run ?? '')) as Step;
    expect(gate.env?.ACKNOWLEDGED).toBe(`\${{ contains(github.event.pull_request.labels.*.name, '${RISK_ACKNOWLEDGED_LABEL}') }}`);
  });

  it('reviews a fork from two syntheses, without credentials, and uploads the review for another workflow to post', () => {
    expect(reviewFork.if).toBe('github.event.pull_request.head.repo.full_name != github.repository');
    expect(reviewFork.steps.filter((step) => step.uses?.startsWith('aws-actions/'))).toEqual([]);
    const checkout = reviewFork.steps.find((step) => step.uses?.startsWith('actions/checkout@')) as Step;
    expect(checkout.with).toEqual({ 'persist-credentials': false, 'fetch-depth': 0 });
    const review = reviewFork.steps.find((step) => step.id === 'review') as Step;
    expect(review.run).toContain('npm run -s review -- --format markdown');
    expect(review.run).not.toContain('--plan');
    const upload = reviewFork.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@')) as Step;
    expect(upload.with).toMatchObject({ name: 'plan-review', path: 'plan-review/' });
  });
});

describe('CI: plan review comment workflow (forks)', () => {
  const workflow = load('plan-review-comment.yml');
  const jobs = Object.values(workflow.jobs);

  it('runs after the pull request workflow, never on pull_request_target', () => {
    expect(workflow.on).toEqual({ workflow_run: { workflows: ['Pull request'], types: ['completed'] } });
    expect(load('pull-request.yml')).toMatchObject({ name: 'Pull request' });
  });

  it("posts only for a fork's pull request, with least permissions", () => {
    expect(workflow.permissions).toEqual({});
    expect(jobs).toHaveLength(1);
    expect(jobs[0].if).toBe("github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.head_repository.full_name != github.repository");
    expect(jobs[0].permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
  });

  it("never checks out, installs or runs the fork's code", () => {
    const steps = jobs[0].steps;
    expect(steps.filter((step) => step.uses?.startsWith('actions/checkout@') || step.uses?.startsWith('actions/setup-node@'))).toEqual([]);
    expect(steps.filter((step) => step.run !== undefined)).toEqual([]);
  });

  it('posts nothing, and does not fail, when the fork run left no review', () => {
    const [download, post] = jobs[0].steps;
    expect(download).toMatchObject({ uses: 'actions/download-artifact@v7', id: 'download', 'continue-on-error': true });
    expect(download.with).toMatchObject({ name: 'plan-review', 'run-id': '${{ github.event.workflow_run.id }}' });
    expect(post.if).toBe("steps.download.outcome == 'success'");
  });

  it('posts to the pull request whose head the review is of, as the same one comment', () => {
    const script = String(jobs[0].steps.find((step) => step.uses?.startsWith('actions/github-script@'))?.with?.script);
    expect(script).toContain('if (!/^\\d+$/.test(number))');
    expect(script).toContain('if (pull.head.sha !== run.head_sha)');
    expect(script).toContain("const marker = '<!-- mock-payment-workflow-plan -->'");
  });
});

describe('CI: apply workflow', () => {
  const workflow = load('apply.yml');
  const jobs = Object.values(workflow.jobs);

  it('runs on a push to main or by hand, never for a pull request', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
  });

  it('waits for the production environment and its reviewers, with least permissions', () => {
    expect(workflow.permissions).toEqual({});
    expect(jobs).toHaveLength(1);
    expect(jobs[0].environment).toBe('production');
    expect(jobs[0].permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('tests, then plans and applies that saved plan in the same job, where archive_file wrote the zips', () => {
    const [job] = jobs;
    const steps = ['npm ci', 'npm test', 'npx cdktf synth', 'terraform init', 'terraform plan', 'terraform apply'].map((command) =>
      indexOfRun(job, new RegExp(`^${command}\\b`)),
    );
    expect(steps.every((index, i) => index >= 0 && (i === 0 || index > steps[i - 1]))).toBe(true);
    expect(job.steps[steps[4]].run).toMatch(/-out=tfplan$/);
    expect(job.steps[steps[5]].run).toMatch(/ tfplan$/);
    for (const index of steps.slice(3)) expect(job.steps[index]['working-directory']).toBe(STACK_DIR);
  });

  it('takes AWS credentials from OIDC with its own role', () => {
    const credentials = jobs[0].steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentials?.with?.['role-to-assume']).toBe('${{ vars.AWS_APPLY_ROLE_ARN }}');
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
    expect(jobs[0].steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toEqual({ 'persist-credentials': false });
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
    expect(jobs[0].steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toEqual({ 'persist-credentials': false });
  });
});

describe('CI: every workflow', () => {
  const files = fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));

  it('is one of the five described in the README', () => {
    expect(files.sort()).toEqual(['apply.yml', 'cdk-terrain.yml', 'mutation.yml', 'plan-review-comment.yml', 'pull-request.yml']);
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
    expect(text).not.toMatch(/contents: write/);
  });

  it.each(files)('%s passes only MPW_* settings the app knows, which would otherwise stop the synth', (file) => {
    const workflow = load(file);
    const names = [workflow.env, ...Object.values(workflow.jobs).map((job) => job.env)].flatMap((env) => Object.keys(env ?? {}));
    const unknown = names.filter((name) => name.startsWith('MPW_') && !CONFIG_ENV_VARS.includes(name));
    expect(unknown).toEqual([]);
  });

  // plan-review-comment.yml runs no Node.js project code: it only posts a file.
  it.each(files.filter((file) => file !== 'plan-review-comment.yml'))('%s runs on Node.js 24, the major of .node-version', (file) => {
    const setups = allSteps(load(file)).filter((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setups.length).toBeGreaterThan(0);
    for (const setup of setups) expect(setup.with?.['node-version']).toBe(24);
  });

  it.each(files)('%s uses actions of majors that run on Node.js 24', (file) => {
    const NODE_24_MAJORS: Readonly<Record<string, string>> = {
      'actions/checkout': 'v5',
      'actions/setup-node': 'v5',
      'actions/github-script': 'v8',
      'actions/upload-artifact': 'v6',
      'actions/download-artifact': 'v7',
      'aws-actions/configure-aws-credentials': 'v5',
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
      const install = steps.findIndex((step) => (step.run ?? '').includes('playwright-core install --with-deps chromium'));
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

