import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseReviewOptions, readJsonFile, synthesisFile, teamRulesOf } from '../../../review/cli';

/**
 * `npm run review`'s options and inputs, in process (cli.test.ts runs the command itself, which no
 * mutant reaches): what each option parses to, and the named error of each bad one.
 */

const folders: string[] = [];
const folder = (): string => {
  folders.push(fs.mkdtempSync(path.join(os.tmpdir(), 'review-options-')));
  return folders[folders.length - 1];
};
afterAll(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Writes `json` to `file` under `dir`, creating its folders; returns the file's path. */
function writeJson(dir: string, file: string, json: unknown): string {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), JSON.stringify(json));
  return path.join(dir, file);
}

describe('Plan review options: parseReviewOptions', () => {
  it('reads no option as the text review of the merge base and the working tree, failing on nothing', () => {
    expect(parseReviewOptions([])).toEqual({ format: 'text', failOnRisk: false, help: false });
  });

  it('reads every option', () => {
    expect(
      parseReviewOptions([
        '--plan',
        'p.json',
        '--head-synth',
        'h',
        '--stack',
        's',
        '--rules',
        'r.json',
        '--format',
        'markdown',
        '--log-url',
        'https://log',
        '--fail-on-risk',
        '--help',
      ]),
    ).toEqual({
      plan: 'p.json',
      headSynth: 'h',
      stack: 's',
      rules: 'r.json',
      format: 'markdown',
      logUrl: 'https://log',
      failOnRisk: true,
      help: true,
    });
  });

  it('reads two syntheses and the json format', () => {
    expect(parseReviewOptions(['--base-synth', 'b', '--head-synth', 'h', '--format', 'json'])).toEqual({
      baseSynth: 'b',
      headSynth: 'h',
      format: 'json',
      failOnRisk: false,
      help: false,
    });
  });

  it('refuses an unknown option with UsageError', () => {
    expect(() => parseReviewOptions(['--plans', 'p.json'])).toThrow(
      expect.objectContaining({ name: 'UsageError', message: expect.stringContaining("'--plans'") }),
    );
  });

  it('refuses a format it does not write, naming the three it does', () => {
    expect(() => parseReviewOptions(['--format', 'html'])).toThrow(
      expect.objectContaining({
        name: 'UsageError',
        message: "--format must be text, markdown or json, received 'html'",
      }),
    );
  });

  it('refuses a plan and a base synthesis together', () => {
    expect(() => parseReviewOptions(['--plan', 'p.json', '--base-synth', 'b', '--head-synth', 'h'])).toThrow(
      expect.objectContaining({
        name: 'UsageError',
        message: '--plan and --base-synth exclude each other: review a plan or two syntheses',
      }),
    );
  });

  it.each([[['--base-synth', 'b']], [['--head-synth', 'h']]])(
    'refuses one synthesis without the other (%j)',
    (args) => {
      expect(() => parseReviewOptions(args)).toThrow(
        expect.objectContaining({
          name: 'UsageError',
          message:
            '--base-synth and --head-synth go together: give both files, or neither to synthesize the merge base and the working tree',
        }),
      );
    },
  );
});

describe('Plan review options: readJsonFile', () => {
  it('names the option and the file it cannot read, with UnreadableInput', () => {
    expect(() => readJsonFile('/nonexistent/plan.json', '--plan')).toThrow(
      expect.objectContaining({
        name: 'UnreadableInput',
        message: expect.stringMatching(/^cannot read --plan \/nonexistent\/plan\.json: ENOENT/),
      }),
    );
  });

  it('names the option and the file that is not JSON, with UnreadableInput', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, 'plan.json'), 'not json');
    expect(() => readJsonFile(path.join(dir, 'plan.json'), '--plan')).toThrow(
      expect.objectContaining({
        name: 'UnreadableInput',
        message: expect.stringMatching(new RegExp(`^--plan ${path.join(dir, 'plan.json')} is not JSON: `)),
      }),
    );
  });
});

describe('Plan review options: synthesisFile', () => {
  const STACK = { resource: { aws_sqs_queue: {} } };

  it('reads a cdk.tf.json given as a file', () => {
    const file = writeJson(folder(), 'cdk.tf.json', STACK);
    expect(synthesisFile(file, '--base-synth')).toEqual({ document: STACK, dir: path.dirname(file) });
  });

  it("reads a stack's folder", () => {
    const dir = folder();
    writeJson(dir, 'cdk.tf.json', STACK);
    expect(synthesisFile(dir, '--base-synth').dir).toBe(dir);
  });

  it('reads the only stack of a cdktf.out folder', () => {
    const dir = folder();
    writeJson(dir, 'stacks/payments-eu/cdk.tf.json', STACK);
    expect(synthesisFile(dir, '--base-synth').dir).toBe(path.join(dir, 'stacks', 'payments-eu'));
  });

  it('reads the deployable stack of a cdktf.out folder with several', () => {
    const dir = folder();
    writeJson(dir, 'stacks/a-stack/cdk.tf.json', STACK);
    writeJson(dir, 'stacks/mock-payment-workflow/cdk.tf.json', STACK);
    expect(synthesisFile(dir, '--base-synth').dir).toBe(path.join(dir, 'stacks', 'mock-payment-workflow'));
  });

  it('reads the stack --stack names', () => {
    const dir = folder();
    writeJson(dir, 'stacks/a-stack/cdk.tf.json', STACK);
    writeJson(dir, 'stacks/mock-payment-workflow/cdk.tf.json', STACK);
    expect(synthesisFile(dir, '--base-synth', 'a-stack').dir).toBe(path.join(dir, 'stacks', 'a-stack'));
  });

  it('asks for --stack, naming the stacks in order and the first as the fix, when none is the deployable stack', () => {
    const dir = folder();
    writeJson(dir, 'stacks/b-stack/cdk.tf.json', STACK);
    writeJson(dir, 'stacks/a-stack/cdk.tf.json', STACK);
    fs.mkdirSync(path.join(dir, 'stacks', 'empty'));
    expect(() => synthesisFile(dir, '--head-synth')).toThrow(
      expect.objectContaining({
        name: 'StackNotChosen',
        message: `--head-synth ${dir}: expected --stack to name one of its stacks (a-stack, b-stack); received no --stack. Fix: pass --stack a-stack.`,
      }),
    );
  });

  it('refuses a --stack the folder does not hold, quoting it', () => {
    const dir = folder();
    writeJson(dir, 'stacks/a-stack/cdk.tf.json', STACK);
    expect(() => synthesisFile(dir, '--head-synth', 'other')).toThrow(
      expect.objectContaining({
        name: 'StackNotChosen',
        message: `--head-synth ${dir}: expected --stack to name one of its stacks (a-stack); received 'other'. Fix: pass --stack a-stack.`,
      }),
    );
  });

  it('refuses a folder without a synthesis, saying what to give', () => {
    const dir = folder();
    expect(() => synthesisFile(dir, '--base-synth')).toThrow(
      expect.objectContaining({
        name: 'UnreadableInput',
        message: `--base-synth ${dir} is a folder without cdk.tf.json or stacks/*/cdk.tf.json. Fix: give the cdktf.out folder, a stack's folder or its cdk.tf.json.`,
      }),
    );
  });

  it('refuses a JSON file without a resource block', () => {
    const file = writeJson(folder(), 'cdk.tf.json', { output: {} });
    expect(() => synthesisFile(file, '--base-synth')).toThrow(
      expect.objectContaining({
        name: 'UnreadableInput',
        message: `--base-synth ${file} is not a synthesized cdk.tf.json: it has no "resource" block`,
      }),
    );
  });

  it('refuses a JSON null', () => {
    const file = writeJson(folder(), 'cdk.tf.json', null);
    expect(() => synthesisFile(file, '--base-synth')).toThrow(expect.objectContaining({ name: 'UnreadableInput' }));
  });
});

describe('Plan review options: teamRulesOf', () => {
  const RULE = {
    kind: 'data-loss',
    address: 'aws_cloudwatch_log_group.*',
    severity: 'info',
    reason: 'recreated by design',
  };
  const PARSED = {
    kind: 'data-loss',
    address: 'aws_cloudwatch_log_group.*',
    severity: 'info',
    reason: 'recreated by design',
  };

  it('reads no rules from a root without .plan-review.json', () => {
    expect(teamRulesOf(parseReviewOptions([]), folder())).toEqual([]);
  });

  it("reads the root's .plan-review.json", () => {
    const root = folder();
    writeJson(root, '.plan-review.json', { rules: [RULE] });
    expect(teamRulesOf(parseReviewOptions([]), root)).toEqual([PARSED]);
  });

  it('reads --rules instead of the root file', () => {
    const root = folder();
    writeJson(root, '.plan-review.json', { rules: [] });
    const file = writeJson(folder(), 'team.json', { rules: [RULE] });
    expect(teamRulesOf(parseReviewOptions(['--rules', file]), root)).toEqual([PARSED]);
  });

  it('refuses a --rules file that does not exist, with InvalidTeamRules', () => {
    expect(() => teamRulesOf(parseReviewOptions(['--rules', '/nonexistent/team.json']), folder())).toThrow(
      expect.objectContaining({
        name: 'InvalidTeamRules',
        message: expect.stringMatching(/^cannot read --rules \/nonexistent\/team\.json/),
      }),
    );
  });

  it('names the root file in the message of a malformed rule', () => {
    const root = folder();
    writeJson(root, '.plan-review.json', { rules: [{ ...RULE, reason: '' }] });
    expect(() => teamRulesOf(parseReviewOptions([]), root)).toThrow(
      expect.objectContaining({
        name: 'InvalidTeamRules',
        message: expect.stringMatching(/^\.plan-review\.json: rules\[0\]: expected "reason"/),
      }),
    );
  });
});
