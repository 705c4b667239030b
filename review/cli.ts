/** `npm run review`: the plan review in the terminal, as markdown for a pull request, or as JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidTeamRules, PlanReviewError, StackNotChosen, UnreadableInput, UsageError } from './errors';
import { costChange, type CostMeasurement, planSides } from './cost';
import type { ChangeSet, CostChange } from './model';
import { readPlan } from './plan';
import { renderJson, renderMarkdown, renderText, risksOf } from './render';
import { buildReview } from './review';
import { diffSyntheses, type SynthesizedDocument } from './synthesis';
import { REVIEWED_STACK, withBaseAndHead } from './synthesize';
import { applyTeamRules, parseTeamRules, TEAM_RULES_FILE, type TeamRule } from './team-rules';

const USAGE = `Usage: npm run review -- [options]

Reviews what a change does to AWS: risks first (data loss, privilege, exposure), the workflow and
IAM changes decoded, then every other change. By default it synthesizes the merge base with main (in
a temporary worktree) and the working tree, and compares them: no Terraform, no credentials.

Options:
  --plan FILE             review a plan JSON (terraform show -json <planfile>) instead
  --base-synth PATH       the base's cdk.tf.json or synthesis folder (cdktf.out), with --head-synth:
                          compare two syntheses as given
  --head-synth PATH       the head's cdk.tf.json or synthesis folder; with --plan, only maps addresses
                          to construct paths
  --stack NAME            the stack to read from a synthesis folder that holds several
                          (default: the only one, or ${REVIEWED_STACK})
  --rules FILE            team rules that raise or lower findings' severity, each with a reason
                          (default: ${TEAM_RULES_FILE} at the repository root, when it exists)
  --format FORMAT         text (default), markdown (a pull-request comment) or json (the review model)
  --log-url URL           link to the full log, named where the markdown is shortened to fit a comment
  --fail-on-risk          exit 3 when the review finds a risk
  --help                  show this help

Exit status: 0 reviewed, 3 a risk found with --fail-on-risk, 2 a bad option, an unreadable input, a
JSON that is not a plan, an errored plan or a malformed rules file.`;

/** Exit status when --fail-on-risk is given and a risk is found. */
export const EXIT_RISK = 3;

/** Exit status of a bad option or an unreadable input. */
export const EXIT_USAGE = 2;

/** The parsed command line. */
export interface ReviewOptions {
  readonly plan?: string;
  readonly baseSynth?: string;
  readonly headSynth?: string;
  readonly stack?: string;
  readonly rules?: string;
  readonly format: 'text' | 'markdown' | 'json';
  readonly logUrl?: string;
  readonly failOnRisk: boolean;
  readonly help: boolean;
}

/** Parses and checks the command line; a bad option throws {@link UsageError}. */
export function parseReviewOptions(argv: readonly string[]): ReviewOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        plan: { type: 'string' },
        'base-synth': { type: 'string' },
        'head-synth': { type: 'string' },
        stack: { type: 'string' },
        rules: { type: 'string' },
        format: { type: 'string' },
        'log-url': { type: 'string' },
        'fail-on-risk': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'markdown' && format !== 'json') {
    throw new UsageError(`--format must be text, markdown or json, received '${format}'`);
  }
  const plan = values.plan as string | undefined;
  const baseSynth = values['base-synth'] as string | undefined;
  const headSynth = values['head-synth'] as string | undefined;
  if (plan !== undefined && baseSynth !== undefined)
    throw new UsageError('--plan and --base-synth exclude each other: review a plan or two syntheses');
  if (plan === undefined && (baseSynth === undefined) !== (headSynth === undefined)) {
    throw new UsageError(
      '--base-synth and --head-synth go together: give both files, or neither to synthesize the merge base and the working tree',
    );
  }
  return {
    ...(plan === undefined ? {} : { plan }),
    ...(baseSynth === undefined ? {} : { baseSynth }),
    ...(headSynth === undefined ? {} : { headSynth }),
    ...(values.stack === undefined ? {} : { stack: values.stack as string }),
    ...(values.rules === undefined ? {} : { rules: values.rules as string }),
    format,
    ...(values['log-url'] === undefined ? {} : { logUrl: values['log-url'] as string }),
    failOnRisk: values['fail-on-risk'] === true,
    help: values.help === true,
  };
}

/** Reads a JSON file, naming the file and the option in the error. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UnreadableInput(`cannot read ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UnreadableInput(`${what} ${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads a synthesis given as a `cdk.tf.json` file or as a folder: a `cdktf.out` folder (its
 * `stacks/<stack>/cdk.tf.json`) or one stack's folder. A folder with several stacks needs `--stack`
 * unless one of them is the deployable stack.
 */
export function synthesisFile(
  given: string,
  what: string,
  stack?: string,
): { document: SynthesizedDocument; dir: string } {
  const file = synthesisPath(given, what, stack);
  const document = readJsonFile(file, what);
  if (document === null || typeof document !== 'object' || !('resource' in document)) {
    throw new UnreadableInput(`${what} ${file} is not a synthesized cdk.tf.json: it has no "resource" block`);
  }
  return { document: document as SynthesizedDocument, dir: path.dirname(file) };
}

function synthesisPath(given: string, what: string, stack?: string): string {
  if (!fs.existsSync(given) || !fs.statSync(given).isDirectory()) return given;
  if (fs.existsSync(path.join(given, 'cdk.tf.json'))) return path.join(given, 'cdk.tf.json');
  const stacksDir = path.join(given, 'stacks');
  const stacks = fs.existsSync(stacksDir)
    ? fs
        .readdirSync(stacksDir)
        .filter((name) => fs.existsSync(path.join(stacksDir, name, 'cdk.tf.json')))
        .sort()
    : [];
  if (stacks.length === 0) {
    throw new UnreadableInput(
      `${what} ${given} is a folder without cdk.tf.json or stacks/*/cdk.tf.json. Fix: give the cdktf.out folder, a stack's folder or its cdk.tf.json.`,
    );
  }
  const chosen =
    stack ?? (stacks.length === 1 ? stacks[0] : stacks.includes(REVIEWED_STACK) ? REVIEWED_STACK : undefined);
  if (chosen === undefined || !stacks.includes(chosen)) {
    throw new StackNotChosen(
      `${what} ${given}: expected --stack to name one of its stacks (${stacks.join(', ')}); received ${stack === undefined ? 'no --stack' : `'${stack}'`}. Fix: pass --stack ${stacks[0]}.`,
    );
  }
  return path.join(stacksDir, chosen, 'cdk.tf.json');
}

/** The last local measurement the cost line prices with (`npm run bench` writes it); none: no cost line. */
function measurementOf(root: string): CostMeasurement | undefined {
  const file = path.join(root, 'bench', 'results.json');
  if (!fs.existsSync(file)) return undefined;
  return (readJsonFile(file, 'the measurement') as { cost?: { measurement?: CostMeasurement } }).cost?.measurement;
}

/** The team rules: `--rules FILE`, else `.plan-review.json` at the root when it exists, else none. */
export function teamRulesOf(options: ReviewOptions, root: string): TeamRule[] {
  const file = options.rules ?? path.join(root, TEAM_RULES_FILE);
  if (options.rules === undefined && !fs.existsSync(file)) return [];
  let document: unknown;
  try {
    document = readJsonFile(file, '--rules');
  } catch (error) {
    throw new InvalidTeamRules((error as Error).message, { cause: error });
  }
  return parseTeamRules(document, options.rules ?? TEAM_RULES_FILE);
}

/** Runs the review; returns the exit status and what to print. */
export function runReview(options: ReviewOptions, root: string): { status: number; output: string } {
  if (options.help) return { status: 0, output: `${USAGE}\n` };
  const rules = teamRulesOf(options, root);
  const measurement = measurementOf(root);
  const priced = (base: SynthesizedDocument, head: SynthesizedDocument): CostChange | undefined =>
    measurement === undefined ? undefined : costChange(base, head, measurement);
  const render = (changeSet: ChangeSet, cost?: CostChange): { status: number; output: string } => {
    const built = applyTeamRules(buildReview(changeSet), rules);
    const review = cost === undefined ? built : { ...built, cost };
    const output =
      options.format === 'json'
        ? renderJson(review)
        : options.format === 'markdown'
          ? renderMarkdown(review, { logUrl: options.logUrl })
          : renderText(review);
    return { status: options.failOnRisk && risksOf(review).length > 0 ? EXIT_RISK : 0, output };
  };
  if (options.plan !== undefined) {
    const head =
      options.headSynth === undefined
        ? undefined
        : synthesisFile(options.headSynth, '--head-synth', options.stack).document;
    const plan = readJsonFile(options.plan, '--plan');
    const changeSet = readPlan(plan, head);
    const sides = planSides(plan as Record<string, unknown>);
    return render(changeSet, sides === undefined ? undefined : priced(sides.base, sides.head));
  }
  if (options.baseSynth !== undefined && options.headSynth !== undefined) {
    const base = synthesisFile(options.baseSynth, '--base-synth', options.stack);
    const head = synthesisFile(options.headSynth, '--head-synth', options.stack);
    return render(diffSyntheses(base, head), priced(base.document, head.document));
  }
  return withBaseAndHead(root, (base, head) => render(diffSyntheses(base, head), priced(base.document, head.document)));
}

if (require.main === module) {
  try {
    const { status, output } = runReview(parseReviewOptions(process.argv.slice(2)), path.join(__dirname, '..'));
    process.stdout.write(output);
    process.exitCode = status;
  } catch (error) {
    if (!(error instanceof PlanReviewError)) throw error;
    process.stderr.write(`${error.name}: ${error.message}\n`);
    process.exitCode = EXIT_USAGE;
  }
}
