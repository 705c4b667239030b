/** `npm run review`: the plan review in the terminal, as markdown for a pull request, or as JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PlanReviewError, UnreadableInput, UsageError } from './errors';
import type { ChangeSet } from './model';
import { readPlan } from './plan';
import { renderJson, renderMarkdown, renderText, risksOf } from './render';
import { buildReview } from './review';
import { diffSyntheses, SynthesizedDocument } from './synthesis';
import { withBaseAndHead } from './synthesize';

const USAGE = `Usage: npm run review -- [options]

Reviews what a change does to AWS: risks first (data loss, privilege, exposure), the workflow and
IAM changes decoded, then every other change. By default it synthesizes the merge base with main (in
a temporary worktree) and the working tree, and compares them: no Terraform, no credentials.

Options:
  --plan FILE             review a plan JSON (terraform show -json <planfile>) instead
  --base-synth FILE       the base's cdk.tf.json, with --head-synth: compare two syntheses as given
  --head-synth FILE       the head's cdk.tf.json; with --plan, only maps addresses to construct paths
  --format FORMAT         text (default), markdown (a pull-request comment) or json (the review model)
  --log-url URL           link to the full log, named where the markdown is shortened to fit a comment
  --fail-on-risk          exit 3 when the review finds a risk
  --help                  show this help

Exit status: 0 reviewed, 3 a risk found with --fail-on-risk, 2 a bad option or an unreadable input.`;

/** Exit status when --fail-on-risk is given and a risk is found. */
export const EXIT_RISK = 3;

/** Exit status of a bad option or an unreadable input. */
export const EXIT_USAGE = 2;

/** The parsed command line. */
export interface ReviewOptions {
  readonly plan?: string;
  readonly baseSynth?: string;
  readonly headSynth?: string;
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
  if (plan !== undefined && baseSynth !== undefined) throw new UsageError('--plan and --base-synth exclude each other: review a plan or two syntheses');
  if (plan === undefined && (baseSynth === undefined) !== (headSynth === undefined)) {
    throw new UsageError('--base-synth and --head-synth go together: give both files, or neither to synthesize the merge base and the working tree');
  }
  return {
    ...(plan === undefined ? {} : { plan }),
    ...(baseSynth === undefined ? {} : { baseSynth }),
    ...(headSynth === undefined ? {} : { headSynth }),
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

function synthesisFile(file: string, what: string): { document: SynthesizedDocument; dir: string } {
  const document = readJsonFile(file, what);
  if (document === null || typeof document !== 'object' || !('resource' in document)) {
    throw new UnreadableInput(`${what} ${file} is not a synthesized cdk.tf.json: it has no "resource" block`);
  }
  return { document: document as SynthesizedDocument, dir: path.dirname(file) };
}

/** Runs the review; returns the exit status and what to print. */
export function runReview(options: ReviewOptions, root: string): { status: number; output: string } {
  if (options.help) return { status: 0, output: `${USAGE}\n` };
  const render = (changeSet: ChangeSet): { status: number; output: string } => {
    const review = buildReview(changeSet);
    const output =
      options.format === 'json' ? renderJson(review) : options.format === 'markdown' ? renderMarkdown(review, { logUrl: options.logUrl }) : renderText(review);
    return { status: options.failOnRisk && risksOf(review).length > 0 ? EXIT_RISK : 0, output };
  };
  if (options.plan !== undefined) {
    const head = options.headSynth === undefined ? undefined : synthesisFile(options.headSynth, '--head-synth').document;
    return render(readPlan(readJsonFile(options.plan, '--plan'), head));
  }
  if (options.baseSynth !== undefined && options.headSynth !== undefined) {
    return render(diffSyntheses(synthesisFile(options.baseSynth, '--base-synth'), synthesisFile(options.headSynth, '--head-synth')));
  }
  return withBaseAndHead(root, (base, head) => render(diffSyntheses(base, head)));
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
