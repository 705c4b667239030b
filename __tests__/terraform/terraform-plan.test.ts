import * as path from 'node:path';
import { ensureSynthesized } from '../../local/synth';
import { buildModule } from '../../scripts/build-module';
import { runApp } from '../support/app';
import {
  describeWithProviderMirror,
  planSummary,
  plannedTypes,
  shareInit,
  startValidationStandIn,
  temporaryDir,
  terraform,
  terraformOk,
  type TerraformRun,
  writeModuleExample,
  writeStackRoot,
} from '../support/terraform-offline';
import type { StackJson } from '../support/terraform-stand-ins';

const STACK = 'mock-payment-workflow';
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PLAN = ['plan', '-refresh=false', '-input=false', '-lock=false'];
const VALID = 'Success! The configuration is valid.';
/** Each terraform command loads the whole aws provider: a few at a time, not all at once. */
const CONCURRENT_COMMANDS = 3;
const SLOW = 15 * 60 * 1000;

/** Runs the jobs at most `limit` at a time. */
async function inBatches<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** Synthesizes the deployable stack with `MPW_*` settings into `outdir`; returns its stack folder. */
function synthesizeVariant(outdir: string, env: Record<string, string>): string {
  const result = runApp(outdir, env);
  if (result.status !== 0) throw new Error(`synth with ${JSON.stringify(env)} failed: ${result.stderr}`);
  return path.join(outdir, 'stacks', STACK);
}

/** The three mistakes Terraform must refuse, each planted in its own copy of the default stack. */
const MISTAKES: Readonly<Record<string, (config: StackJson) => void>> = {
  unknownAttribute: (config) => {
    config.resource.aws_dynamodb_table.orders.billing_modes = 'PAY_PER_REQUEST';
  },
  missingReference: (config) => {
    config.resource.aws_lambda_function.create_order.role = '${aws_iam_role.missing.arn}';
  },
  valueOutsideList: (config) => {
    config.resource.aws_dynamodb_table.orders.billing_mode = 'ON_DEMAND';
  },
};

describeWithProviderMirror('terraform validate and plan of the stack, its variants and the module example')(
  'Terraform: validate and plan offline',
  () => {
    const work = temporaryDir('mpw-terraform-plan-');
    const runs: Record<string, TerraformRun> = {};
    const declaredTypes: Record<string, string[]> = {};

    beforeAll(async () => {
      // Prepare
      const standIn = await startValidationStandIn();
      try {
        const stackDir = path.join(ensureSynthesized().outdir, 'stacks', STACK);
        const roots: Record<string, string> = {
          default: stackDir,
          key: synthesizeVariant(path.join(work, 'synth-key'), { MPW_KMS_KEY_ARN: KMS_KEY_ARN }),
          express: synthesizeVariant(path.join(work, 'synth-express'), { MPW_WORKFLOW_TYPE: 'EXPRESS' }),
        };
        for (const [name, dir] of Object.entries(roots))
          declaredTypes[name] = Object.keys(
            writeStackRoot(dir, path.join(work, name), standIn.endpoint).resource,
          ).sort();
        for (const [name, plant] of Object.entries(MISTAKES))
          writeStackRoot(stackDir, path.join(work, name), standIn.endpoint, plant);
        const built = buildModule(path.join(work, 'module-build'));
        const example = writeModuleExample(built.dir, path.join(work, 'module'), standIn.endpoint);
        // One init for every root of the stack: they need the same providers.
        await terraformOk(path.join(work, 'default'), ['init', '-input=false']);
        for (const name of ['key', 'express', ...Object.keys(MISTAKES)])
          shareInit(path.join(work, 'default'), path.join(work, name));
        await terraformOk(example, ['init', '-input=false']);
        // Act
        const commands: Record<string, [string, string[]]> = {
          'default validate': ['default', ['validate']],
          'default plan': ['default', PLAN],
          'key plan': ['key', PLAN],
          'express plan': ['express', PLAN],
          'example validate': [example, ['validate']],
          'example plan': [example, PLAN],
          ...Object.fromEntries(Object.keys(MISTAKES).map((name) => [`${name} validate`, [name, ['validate']]])),
        };
        const results = await inBatches(
          Object.values(commands).map(
            ([dir, args]) =>
              () =>
                terraform(path.resolve(work, dir), args),
          ),
          CONCURRENT_COMMANDS,
        );
        Object.keys(commands).forEach((name, i) => (runs[name] = results[i]));
      } finally {
        await standIn.close();
      }
    }, SLOW);

    /** Terraform's error output of a command that must fail, on one line (it wraps at 78 columns). */
    const refused = (name: string): string => {
      expect(runs[name].code).toBe(1);
      return runs[name].stderr.replace(/\s+/g, ' ');
    };

    /** The output of a command that must succeed, with Terraform's errors in the failure otherwise. */
    const succeeded = (name: string): string => {
      expect(`${runs[name].stderr}exit ${runs[name].code}`).toBe('exit 0');
      return runs[name].stdout;
    };

    describe('the default stack', () => {
      it('is valid', () => {
        expect(succeeded('default validate')).toContain(VALID);
      });

      it('plans 44 resources to add', () => {
        expect(planSummary(succeeded('default plan'))).toBe('Plan: 44 to add, 0 to change, 0 to destroy.');
      });

      it('plans every resource type it declares', () => {
        expect(plannedTypes(succeeded('default plan'))).toEqual(declaredTypes.default);
      });
    });

    describe('the key variant (MPW_KMS_KEY_ARN)', () => {
      it('plans 44 resources to add', () => {
        expect(planSummary(succeeded('key plan'))).toBe('Plan: 44 to add, 0 to change, 0 to destroy.');
      });

      it('plans every resource type it declares', () => {
        expect(plannedTypes(succeeded('key plan'))).toEqual(declaredTypes.key);
      });
    });

    describe('the EXPRESS variant (MPW_WORKFLOW_TYPE=EXPRESS)', () => {
      it('plans 42 resources to add: no aborted or throttled execution alarms', () => {
        expect(planSummary(succeeded('express plan'))).toBe('Plan: 42 to add, 0 to change, 0 to destroy.');
      });

      it('plans every resource type it declares', () => {
        expect(plannedTypes(succeeded('express plan'))).toEqual(declaredTypes.express);
      });
    });

    describe('examples/basic calling the built module', () => {
      it('is valid', () => {
        expect(succeeded('example validate')).toContain(VALID);
      });

      it('plans 44 resources to add', () => {
        expect(planSummary(succeeded('example plan'))).toBe('Plan: 44 to add, 0 to change, 0 to destroy.');
      });

      it('plans every resource type the module creates by default', () => {
        expect(plannedTypes(succeeded('example plan'))).toEqual([
          'aws_cloudwatch_dashboard',
          'aws_cloudwatch_log_group',
          'aws_cloudwatch_metric_alarm',
          'aws_dynamodb_table',
          'aws_iam_role',
          'aws_iam_role_policy',
          'aws_lambda_function',
          'aws_sfn_state_machine',
          'aws_sns_topic',
          'aws_sns_topic_policy',
        ]);
      });
    });

    describe('a mistake planted in the synthesis', () => {
      it('fails validate on an attribute the provider does not know', () => {
        expect(refused('unknownAttribute validate')).toMatch(
          /Error: Extraneous JSON object property .* No argument or block type is named "billing_modes"\./,
        );
      });

      it('fails validate on a reference to a resource that does not exist', () => {
        expect(refused('missingReference validate')).toMatch(
          /Error: Reference to undeclared resource .* A managed resource "aws_iam_role" "missing" has not been declared in the root module\./,
        );
      });

      it("fails validate on a value outside the provider's allowed list", () => {
        expect(refused('valueOutsideList validate')).toContain(
          'Error: expected billing_mode to be one of ["PROVISIONED" "PAY_PER_REQUEST"], got ON_DEMAND',
        );
      });
    });
  },
);
