import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseReviewOptions, runReview } from '../../../review/cli';
import { costChange, type CostMeasurement, planSides } from '../../../review/cost';
import { InvalidTeamRules, NotAPlan, PlanErrored, StackNotChosen } from '../../../review/errors';
import { renderJson, renderMarkdown, renderText } from '../../../review/render';
import { buildReview } from '../../../review/review';
import { diffSyntheses } from '../../../review/synthesis';
import { parseTeamRules } from '../../../review/team-rules';
import { PLAN_REVIEW_CASES, type StackJson } from '../../support/plan-review-cases';
import { FIXTURES_DIR, reviewOfPlan, riskLines, stackSynthesis } from '../../support/plan-review';

/** A folder standing in for the repository root: no team rules, no measurement, unless a test writes them. */
function emptyRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'plan-review-root-'));
}

/** Writes the stack (base) and a copy changed by `edit` (head) as two cdktf.out folders. */
function synthesisFolders(
  edit: (head: StackJson) => void,
  stackName = 'mock-payment-workflow',
): { base: string; head: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-review-out-'));
  const { document } = stackSynthesis();
  const head = structuredClone(document);
  edit(head);
  for (const [side, stack] of [
    ['base', document],
    ['head', head],
  ] as const) {
    fs.mkdirSync(path.join(dir, side, 'stacks', stackName), { recursive: true });
    fs.writeFileSync(path.join(dir, side, 'stacks', stackName, 'cdk.tf.json'), JSON.stringify(stack));
  }
  return { base: path.join(dir, 'base'), head: path.join(dir, 'head') };
}

const review = (root: string, ...args: string[]) => runReview(parseReviewOptions(args), root);
const caseEdit = (name: string) => (head: StackJson) => PLAN_REVIEW_CASES.find((c) => c.name === name)?.editHead(head);
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('Plan review: moves', () => {
  it('reads a table moved with a moved block, in a real plan, as a move and no data loss', () => {
    const review = reviewOfPlan('table-moved');
    expect(riskLines(review)).toEqual([]);
    expect(renderText(review)).toContain(
      'To move:\n  aws_dynamodb_table.orders_moved: move from aws_dynamodb_table.orders\n',
    );
  });

  it('pairs the moved block of a synthesis, so the moved table is the move the real plan shows', () => {
    // Prepare
    const { base, head } = synthesisFolders(caseEdit('table-moved'));
    // Act
    const { status, output } = review(emptyRoot(), '--base-synth', base, '--head-synth', head, '--fail-on-risk');
    // Assess
    expect(status).toBe(0);
    expect(output.split('\n')[0]).toBe('Plan review: 0 to add, 0 to change, 0 to destroy (1 moved): no risky change');
    expect(output).toContain(
      '  aws_dynamodb_table.orders_moved: move from aws_dynamodb_table.orders [mock-payment-workflow/payment-workflow/orders-table/table]\n',
    );
  });

  it('lists the previous address and actions of each change with --format json', () => {
    const { output } = review(
      emptyRoot(),
      '--plan',
      path.join(FIXTURES_DIR, 'table-moved', 'plan.json'),
      '--format',
      'json',
    );
    expect(JSON.parse(output).changes).toEqual([
      {
        address: 'aws_dynamodb_table.orders_moved',
        previousAddress: 'aws_dynamodb_table.orders',
        action: 'no-op',
        actions: ['no-op'],
        constructPath: null,
        predicted: false,
      },
    ]);
  });
});

describe('Plan review: a replacement deletion protection refuses', () => {
  it('says the apply will fail when a protected table is replaced, from a synthesis too', () => {
    const stack = stackSynthesis();
    const head = structuredClone(stack.document);
    head.resource.aws_dynamodb_table.orders.hash_key = 'id';
    const risks = riskLines(buildReview(diffSyntheses(stack, { document: head })));
    expect(risks).toContain(
      'data-loss aws_dynamodb_table.orders: the apply will fail: deletion protection is on (deletion_protection_enabled = true before), and DynamoDB refuses to delete a protected table, which this replacement must do; turning it off in the same change does not help (hashicorp/terraform-provider-aws#48063): turn it off in a change of its own first',
    );
  });
});

describe('Plan review: stack-wide settings', () => {
  it('flags a region change, which reads as no resource change, as a risk and exits 3', () => {
    // Prepare
    const { base, head } = synthesisFolders((stack) => {
      stack.provider.aws[0].region = 'eu-west-1';
    });
    // Act
    const { status, output } = review(emptyRoot(), '--base-synth', base, '--head-synth', head, '--fail-on-risk');
    // Assess
    expect(status).toBe(3);
    expect(output).toContain(
      '  [data-loss] provider.aws.region: stack-wide setting changes: every resource is planned in the new region: the old region\'s table, functions and state machine are left running, no longer managed, and the new table starts empty\n      provider.aws.region: "us-east-1" → "eu-west-1"\n',
    );
  });

  it('flags new default tags as a risk that does not block the check', () => {
    const stack = stackSynthesis();
    const head = structuredClone(stack.document);
    head.provider.aws[0].default_tags = [{ tags: { project: 'mock-payment-workflow', team: 'payments' } }];
    const model = JSON.parse(renderJson(buildReview(diffSyntheses(stack, { document: head }))));
    expect(model.findings.filter((f: { severity: string }) => f.severity === 'risk')).toEqual([
      {
        kind: 'change',
        severity: 'risk',
        address: 'provider.aws.default_tags',
        message:
          "stack-wide setting changes: every resource's tags change: cost allocation and tag-based access (ABAC) follow the new tags",
        details: [
          'provider.aws.default_tags: [{"tags":{"managed-by":"cdktf","project":"mock-payment-workflow"}}] → [{"tags":{"project":"mock-payment-workflow","team":"payments"}}]',
        ],
        blocking: false,
      },
    ]);
  });

  it('flags a backend that points at another state', () => {
    const { base, head } = synthesisFolders((stack) => {
      stack.terraform.backend = { s3: { bucket: 'other-bucket', key: 'payments.tfstate', region: 'us-east-1' } };
    });
    const { output } = review(emptyRoot(), '--base-synth', base, '--head-synth', head);
    expect(output).toContain('  [data-loss] backend: stack-wide setting changes: Terraform reads another state');
    expect(output).toContain('      backend: "local" → "s3"\n');
  });

  it('never prints a credential set in a provider block, in any format', () => {
    // Prepare
    const { base, head } = synthesisFolders((stack) => {
      stack.provider.aws[0].secret_key = SECRET_KEY;
    });
    // Act
    const outputs = ['text', 'markdown', 'json'].map(
      (format) => review(emptyRoot(), '--base-synth', base, '--head-synth', head, '--format', format).output,
    );
    // Assess
    expect(outputs.filter((text) => text.includes(SECRET_KEY))).toEqual([]);
    expect(outputs[0]).toContain('      provider.aws.secret_key: null → (sensitive)\n');
  });
});

describe('Plan review: synthesis folders', () => {
  it('reads a cdktf.out folder as its one stack', () => {
    const { base, head } = synthesisFolders(caseEdit('protection-off-and-delete-item'));
    const { output } = review(emptyRoot(), '--base-synth', base, '--head-synth', head);
    expect(output.split('\n').filter((line) => line.startsWith('  ['))).toEqual([
      '  [data-loss] aws_dynamodb_table.orders: turns deletion protection off: a destroy or a replacement can now delete the table',
      '  [privilege] aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource',
    ]);
  });

  it('asks which stack to read from a folder with several, with StackNotChosen', () => {
    // Prepare
    const { base, head } = synthesisFolders(() => undefined, 'payments-eu');
    fs.cpSync(path.join(base, 'stacks', 'payments-eu'), path.join(base, 'stacks', 'payments-us'), { recursive: true });
    // Act
    const act = (): unknown => review(emptyRoot(), '--base-synth', base, '--head-synth', head);
    // Assess
    expect(act).toThrow(
      `--base-synth ${base}: expected --stack to name one of its stacks (payments-eu, payments-us); received no --stack. Fix: pass --stack payments-eu.`,
    );
    expect(
      review(emptyRoot(), '--base-synth', base, '--head-synth', head, '--stack', 'payments-eu').output.split('\n')[0],
    ).toBe('Plan review: 0 to add, 0 to change, 0 to destroy: no risky change');
  });
});

describe('Plan review: team rules', () => {
  const PROTECTION_OFF = path.join(FIXTURES_DIR, 'protection-off-and-delete-item', 'plan.json');

  it('lowers an accepted risk to info, prints its reason, and stops it blocking', () => {
    // Prepare
    const root = emptyRoot();
    const rule = {
      kind: 'privilege',
      address: 'aws_iam_role.hold_*',
      severity: 'info',
      reason: 'Reviewed in SEC-42: the purge job needs it until March',
    };
    fs.writeFileSync(path.join(root, '.plan-review.json'), JSON.stringify({ rules: [rule] }));
    // Act
    const { output } = review(root, '--plan', PROTECTION_OFF);
    const model = JSON.parse(review(root, '--plan', PROTECTION_OFF, '--format', 'json').output);
    // Assess
    expect(output).toContain(
      'Accepted by team rules (.plan-review.json):\n  [privilege] aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource\n      from aws_iam_role_policy.hold_payment\n      team rule: Reviewed in SEC-42: the purge job needs it until March\n',
    );
    expect(
      model.findings.filter((f: { blocking: boolean }) => f.blocking).map((f: { address: string }) => f.address),
    ).toEqual(['aws_dynamodb_table.orders']);
  });

  it('exits 0 with --fail-on-risk once every risk is accepted by a rule given with --rules', () => {
    const dir = emptyRoot();
    const rules = {
      rules: [
        { kind: 'privilege', address: 'aws_iam_role.hold_payment', severity: 'info', reason: 'SEC-42' },
        {
          kind: 'data-loss',
          address: 'aws_dynamodb_table.orders',
          message: 'deletion protection off',
          severity: 'info',
          reason: 'Table is rebuilt from the ledger; OPS-7',
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'team.json'), JSON.stringify(rules));
    expect(
      review(emptyRoot(), '--plan', PROTECTION_OFF, '--rules', path.join(dir, 'team.json'), '--fail-on-risk').status,
    ).toBe(0);
  });

  it('raises a finding to a risk', () => {
    const rules = parseTeamRules(
      {
        rules: [
          {
            kind: 'code',
            address: 'aws_lambda_function.*',
            severity: 'risk',
            reason: 'Code changes need a second reviewer',
          },
        ],
      },
      '.plan-review.json',
    );
    const root = emptyRoot();
    fs.writeFileSync(path.join(root, '.plan-review.json'), JSON.stringify({ rules }));
    expect(
      review(root, '--plan', path.join(FIXTURES_DIR, 'handler-changes', 'plan.json'), '--fail-on-risk').status,
    ).toBe(3);
  });

  it('refuses an entry without a reason with InvalidTeamRules, naming the entry', () => {
    // Prepare
    const document = {
      rules: [
        { kind: 'code', address: '*', severity: 'info', reason: 'ok' },
        { kind: 'data-loss', address: 'aws_dynamodb_table.*', severity: 'info' },
      ],
    };
    // Act
    const act = (): unknown => parseTeamRules(document, '.plan-review.json');
    // Assess
    expect(act).toThrow(InvalidTeamRules);
    expect(act).toThrow(
      '.plan-review.json: rules[1]: expected "reason" a non-empty text; received undefined. Fix: say why the team accepts this, so every review can print it.',
    );
  });

  it('refuses an unknown kind, naming the kinds it accepts', () => {
    expect(() =>
      parseTeamRules({ rules: [{ kind: 'dataloss', address: '*', severity: 'info', reason: 'x' }] }, 'team.json'),
    ).toThrow(
      'team.json: rules[0]: expected "kind" one of data-loss, privilege, exposure, workflow, code, change; received "dataloss". Fix: name the kind of finding the rule changes.',
    );
  });
});

describe('Plan review: the cost line', () => {
  /** A measurement written by hand: 20 ms a call, 100 ms an execution, 3 writes of a 94-byte item. */
  const MEASUREMENT: CostMeasurement = {
    functionMs: { 'mock-create-order': 20, 'mock-hold-payment': 20, 'mock-accept-payment': 20 },
    executionMs: 100,
    writesPerExecution: 3,
    readsPerExecution: 0,
    itemBytes: 94,
  };

  it('prices a switch to EXPRESS and one alarm fewer, worked by hand from the pricing pages', () => {
    // Prepare: STANDARD 3 transitions $75 + 3 requests $0.60 + 7,500 arm64 GB-s $0.10 + 3 writes $1.875 = $77.575;
    // EXPRESS $1 + 6,250 GB-s $0.104 + $0.60 + $0.10 + $1.875 = $3.679; 20 → 19 alarms at $0.10 a month.
    const { document } = stackSynthesis();
    const head = structuredClone(document);
    head.resource.aws_sfn_state_machine.payment_workflow.type = 'EXPRESS';
    delete head.resource.aws_cloudwatch_metric_alarm.executions_throttled;
    // Act
    const cost = costChange(document, head, MEASUREMENT);
    // Assess
    expect(cost?.line).toBe(
      'Cost: $77.58 → $3.68 a million orders (-$73.90; STANDARD → EXPRESS); alarms $2.00 → $1.90 a month (20 → 19 alarms)',
    );
  });

  it('prices more memory', () => {
    const { document } = stackSynthesis();
    const head = structuredClone(document);
    for (const fn of Object.values<StackJson>(head.resource.aws_lambda_function)) fn.memory_size = 1024;
    // 8 × the GB-seconds: $0.10 → $0.80.
    expect(costChange(document, head, MEASUREMENT)?.line).toBe('Cost: $77.58 → $78.28 a million orders (+$0.70)');
  });

  it("prices a real plan's switch to EXPRESS from its prior state and planned values, as the syntheses price it", () => {
    // Prepare
    const plan = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, 'express-workflow', 'plan.json'), 'utf8'));
    // Act
    const sides = planSides(plan);
    // Assess
    expect(sides === undefined ? undefined : costChange(sides.base, sides.head, MEASUREMENT)?.line).toBe(
      'Cost: $77.58 → $3.68 a million orders (-$73.90; STANDARD → EXPRESS)',
    );
  });

  it('prices no plan that lacks its prior state, such as a first deployment', () => {
    expect(planSides({ format_version: '1.2', planned_values: { root_module: {} } })).toBeUndefined();
  });

  it('prints no cost line when the price does not change', () => {
    const { document } = stackSynthesis();
    expect(costChange(document, structuredClone(document), MEASUREMENT)).toBeUndefined();
  });

  it('puts the cost line under the verdict, read from the measurement in bench/results.json', () => {
    // Prepare
    const root = emptyRoot();
    fs.mkdirSync(path.join(root, 'bench'));
    fs.writeFileSync(path.join(root, 'bench', 'results.json'), JSON.stringify({ cost: { measurement: MEASUREMENT } }));
    const { base, head } = synthesisFolders((stack) => {
      stack.resource.aws_sfn_state_machine.payment_workflow.type = 'EXPRESS';
    });
    // Act
    const markdown = review(root, '--base-synth', base, '--head-synth', head, '--format', 'markdown').output;
    // Assess
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '### Plan review: 1 to add, 0 to change, 1 to destroy (1 replacement, in both add and destroy): no risk found, but 1 destroyed: read it before merging',
      '',
      'Cost: $77.58 → $3.68 a million orders (-$73.90; STANDARD → EXPRESS)',
    ]);
  });
});

describe('Plan review: --format json', () => {
  it('flags each finding as blocking or not, as the markdown marks it', () => {
    // Act
    const plan = reviewOfPlan('risky-change');
    const model = JSON.parse(renderJson(plan));
    const markdown = renderMarkdown(plan);
    // Assess
    expect(
      model.findings
        .filter((f: { severity: string }) => f.severity === 'risk')
        .map((f: { kind: string; blocking: boolean }) => [f.kind, f.blocking]),
    ).toEqual([
      ['data-loss', true],
      ['data-loss', true],
      ['data-loss', true],
      ['workflow', false],
    ]);
    expect(markdown).toContain(
      '- **Data loss** `aws_dynamodb_table.orders`: turns deletion protection off: a destroy or a replacement can now delete the table **(blocking)**\n',
    );
    expect(markdown).toContain('a transient failure now fails the step at once\n');
  });
});

describe('Plan review: the names of its new errors', () => {
  it.each([
    [new NotAPlan('m'), 'NotAPlan'],
    [new PlanErrored('m'), 'PlanErrored'],
    [new StackNotChosen('m'), 'StackNotChosen'],
    [new InvalidTeamRules('m'), 'InvalidTeamRules'],
  ])('keeps the literal name of %s, which the CLI prints and scripts match', (error, name) => {
    expect(error.name).toBe(name);
  });

  it('exits 2 with the error name when a state is given as a plan', () => {
    const [command, ...scriptArgs] = require('../../../package.json').scripts.review.split(' ');
    const state = path.join(FIXTURES_DIR, 'terraform-show-json', 'state-basic', 'output.json');
    const result = spawnSync(command, [...scriptArgs, '--plan', state], {
      cwd: path.join(__dirname, '..', '..', '..'),
      encoding: 'utf8',
    });
    expect({ status: result.status, stderr: result.stderr.split(':')[0] }).toEqual({ status: 2, stderr: 'NotAPlan' });
  });
});

describe('Plan review: stack-wide settings of two syntheses written in two places', () => {
  it('reads a local backend by its state file, not by the path relative to each synthesis folder', () => {
    // Prepare: the merge base is synthesized in a temporary worktree, the head in the working tree.
    const stack = stackSynthesis();
    const base = structuredClone(stack.document);
    const head = structuredClone(stack.document);
    base.terraform.backend = { local: { path: '../../../base/terraform.mock-payment-workflow.tfstate' } };
    head.terraform.backend = { local: { path: '../../../../../work/project/terraform.mock-payment-workflow.tfstate' } };
    // Act
    const review = buildReview(diffSyntheses({ document: base }, { document: head }));
    // Assess
    expect(riskLines(review)).toEqual([]);
  });
});
