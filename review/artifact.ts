/**
 * The artifact `plan-review-data` that a pull request's run uploads and the trusted workflow
 * (plan-review-comment.yml) reviews with the base branch's reviewer. Every byte of it was written by
 * the pull request's code, so nothing in it is believed before it is checked here: which files, how
 * large, what JSON shape, and that it is of the commit the workflow run says it is.
 *
 *   node -r esbuild-register review/artifact.ts check UNTRUSTED_DIR CHECKED_DIR
 *       (EXPECTED_HEAD_SHA from the environment; appends pull-request, head-sha, mode to $GITHUB_OUTPUT)
 *   node -r esbuild-register review/artifact.ts mentions FILE   (prints FILE with no @-mention left)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlanReviewError } from './errors';

/** The artifact is refused: a file too large, a name not expected, or JSON of the wrong shape. */
export class ArtifactRejected extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ArtifactRejected';
  }
}

/** What the pull request's run says it reviewed; written by that run, so checked field by field. */
export interface ArtifactMeta {
  /** The pull request's number. */
  readonly pullRequest: number;
  /** The commit whose synthesis or plan the artifact holds. */
  readonly headSha: string;
  /** `plan`: a same-repository pull request's plan JSON; `synthesis`: a fork's two syntheses. */
  readonly mode: 'plan' | 'synthesis';
}

/** The only files an artifact may hold, with the largest size accepted for each. */
export const ARTIFACT_FILES = {
  'meta.json': 1024,
  // This stack's synthesis is about 66 KB; 5 MiB leaves room to grow and none to exhaust the runner.
  'base.tf.json': 5 * 1024 * 1024,
  'head.tf.json': 5 * 1024 * 1024,
  // A plan JSON holds before, after and the configuration: larger than a synthesis.
  'plan.json': 20 * 1024 * 1024,
} as const;

/** A file of the artifact. */
export type ArtifactFile = keyof typeof ARTIFACT_FILES;

/** The files each mode needs, and no other. */
export const FILES_OF_MODE: Readonly<Record<ArtifactMeta['mode'], readonly ArtifactFile[]>> = {
  plan: ['head.tf.json', 'meta.json', 'plan.json'],
  synthesis: ['base.tf.json', 'head.tf.json', 'meta.json'],
};

const META_KEYS = ['headSha', 'mode', 'pullRequest'];

const quote = (value: unknown): string => JSON.stringify(value)?.slice(0, 80) ?? String(value);

/** Reads `meta.json`'s text: exactly the three fields, each of its type. */
export function parseMeta(text: string): ArtifactMeta {
  const value = parseJson(text, 'meta.json');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ArtifactRejected(
      `meta.json must be a JSON object, received ${quote(value)}. Fix: write {"pullRequest":N,"headSha":"<40 hex>","mode":"plan"|"synthesis"}.`,
    );
  }
  const keys = Object.keys(value).sort();
  if (keys.join(',') !== META_KEYS.join(',')) {
    throw new ArtifactRejected(
      `meta.json must have exactly the fields ${META_KEYS.join(', ')}, received ${quote(keys)}. Fix: write no other field.`,
    );
  }
  const { pullRequest, headSha, mode } = value as Record<string, unknown>;
  if (typeof pullRequest !== 'number' || !Number.isSafeInteger(pullRequest) || pullRequest < 1) {
    throw new ArtifactRejected(
      `meta.json pullRequest must be a positive integer, received ${quote(pullRequest)}. Fix: write github.event.pull_request.number.`,
    );
  }
  if (typeof headSha !== 'string' || !/^[0-9a-f]{40}$/.test(headSha)) {
    throw new ArtifactRejected(
      `meta.json headSha must be 40 lowercase hex digits, received ${quote(headSha)}. Fix: write github.event.pull_request.head.sha.`,
    );
  }
  if (mode !== 'plan' && mode !== 'synthesis') {
    throw new ArtifactRejected(
      `meta.json mode must be "plan" or "synthesis", received ${quote(mode)}. Fix: write one of the two.`,
    );
  }
  return { pullRequest, headSha, mode };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ArtifactRejected(
      `${file} is not JSON: ${quote((error as Error).message)}. Fix: upload the file as the workflow writes it.`,
      { cause: error },
    );
  }
}

/**
 * Checks a synthesis's shape: a JSON object with a `resource` object. An archive's `source_dir` is
 * read by the reviewer for bundle sizes, so one that climbs out of the artifact (`..`) is refused.
 */
export function checkSynthesis(text: string, file: string): void {
  const value = parseJson(text, file);
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    !isObject((value as Record<string, unknown>).resource)
  ) {
    throw new ArtifactRejected(
      `${file} must be a synthesized cdk.tf.json, an object with a "resource" object. Fix: upload cdktf.out/stacks/<stack>/cdk.tf.json.`,
    );
  }
  const archives = ((value as { data?: { archive_file?: unknown } }).data?.archive_file ?? {}) as Record<
    string,
    unknown
  >;
  for (const [name, archive] of Object.entries(isObject(archives) ? archives : {})) {
    const sourceDir = isObject(archive) ? archive.source_dir : undefined;
    if (typeof sourceDir === 'string' && sourceDir.split(/[\\/]/).includes('..')) {
      throw new ArtifactRejected(
        `${file} data.archive_file.${quote(name)} has a source_dir outside the stack, ${quote(sourceDir)}. Fix: keep source_dir under \${path.module}.`,
      );
    }
  }
}

/** Checks a plan's shape: a JSON object with a string `format_version`; the reviewer reads the rest. */
export function checkPlan(text: string): void {
  const value = parseJson(text, 'plan.json');
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    typeof (value as Record<string, unknown>).format_version !== 'string'
  ) {
    throw new ArtifactRejected(
      'plan.json must be a plan JSON object with a string "format_version". Fix: upload terraform show -json tfplan.',
    );
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Checks the untrusted folder and copies what passed into `checkedDir` under the same names.
 * `expectedHeadSha` is the workflow run's own `head_sha`, which the pull request cannot choose.
 */
export function checkArtifact(untrustedDir: string, checkedDir: string, expectedHeadSha: string): ArtifactMeta {
  const entries = fs.readdirSync(untrustedDir, { withFileTypes: true });
  for (const entry of entries) {
    if (!Object.hasOwn(ARTIFACT_FILES, entry.name)) {
      throw new ArtifactRejected(
        `the artifact holds ${quote(entry.name)}, which is not one of ${Object.keys(ARTIFACT_FILES).join(', ')}. Fix: upload only those files.`,
      );
    }
    // lstat, not stat: a symbolic link would make the reviewer read a file of the trusted runner.
    if (!fs.lstatSync(path.join(untrustedDir, entry.name)).isFile()) {
      throw new ArtifactRejected(
        `the artifact's ${entry.name} is not a regular file. Fix: upload the file itself, not a link or a folder.`,
      );
    }
  }
  const sizeOf = (file: ArtifactFile): number => fs.lstatSync(path.join(untrustedDir, file)).size;
  const read = (file: ArtifactFile): string => {
    const size = sizeOf(file);
    if (size > ARTIFACT_FILES[file]) {
      throw new ArtifactRejected(
        `the artifact's ${file} is ${size} bytes, more than the ${ARTIFACT_FILES[file]} accepted. Fix: upload the file the workflow writes.`,
      );
    }
    return fs.readFileSync(path.join(untrustedDir, file), 'utf8');
  };
  if (!entries.some((entry) => entry.name === 'meta.json'))
    throw new ArtifactRejected(
      'the artifact has no meta.json. Fix: upload meta.json with the pull request number, head commit and mode.',
    );
  const meta = parseMeta(read('meta.json'));
  if (meta.headSha !== expectedHeadSha) {
    throw new ArtifactRejected(
      `meta.json headSha is ${meta.headSha}, but the workflow run is of ${quote(expectedHeadSha)}. Fix: upload the data of the commit the run checked out.`,
    );
  }
  const names = entries.map((entry) => entry.name).sort();
  if (names.join(',') !== FILES_OF_MODE[meta.mode].join(',')) {
    throw new ArtifactRejected(
      `mode ${meta.mode} needs exactly ${FILES_OF_MODE[meta.mode].join(', ')}, received ${quote(names)}. Fix: upload those files.`,
    );
  }
  const texts = new Map(FILES_OF_MODE[meta.mode].map((file) => [file, read(file)] as const));
  for (const [file, text] of texts) {
    if (file === 'plan.json') checkPlan(text);
    else if (file !== 'meta.json') checkSynthesis(text, file);
  }
  fs.mkdirSync(checkedDir, { recursive: true });
  for (const [file, text] of texts)
    fs.writeFileSync(path.join(checkedDir, file), file === 'meta.json' ? JSON.stringify(meta) : text);
  return meta;
}

/**
 * Text to post with no @-mention left: a zero-width space after each `@`, so neither a user nor a
 * team is notified by a name the pull request put in a resource address or a policy.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@/g, '@\u200B');
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  try {
    if (command === 'check' && args.length === 2) {
      const meta = checkArtifact(args[0] as string, args[1] as string, process.env.EXPECTED_HEAD_SHA ?? '');
      const lines = `pull-request=${meta.pullRequest}\nhead-sha=${meta.headSha}\nmode=${meta.mode}\n`;
      if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, lines);
      process.stdout.write(lines);
    } else if (command === 'mentions' && args.length === 1) {
      process.stdout.write(neutralizeMentions(fs.readFileSync(args[0] as string, 'utf8')));
    } else {
      throw new ArtifactRejected(
        `expected "check UNTRUSTED_DIR CHECKED_DIR" or "mentions FILE", received ${quote([command, ...args])}. Fix: see the usage in review/artifact.ts.`,
      );
    }
  } catch (error) {
    if (!(error instanceof PlanReviewError)) throw error;
    process.stderr.write(`${error.name}: ${error.message}\n`);
    process.exitCode = 2;
  }
}
