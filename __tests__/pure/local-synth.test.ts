import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureSynthesized } from '../../local/synth';

/**
 * When the local runtime re-synthesizes: on a project of its own whose `app` is a small script that
 * writes what it received into its stack file and counts its runs, so each case takes milliseconds.
 */

const APP = `
const fs = require('node:fs');
const path = require('node:path');
const dir = path.join(process.env.CDKTF_OUTDIR, 'stacks', 'mock-payment-workflow');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ context: process.env.CDKTF_CONTEXT_JSON, workflowType: process.env.MPW_WORKFLOW_TYPE ?? null }));
fs.appendFileSync('runs.txt', 'run\\n');
`;

const PAST = new Date('2020-01-01T00:00:00Z');
const LATER = new Date('2021-01-01T00:00:00Z');

let root: string;
const saved: Record<string, string | undefined> = {};

/** Writes `text` to `file` under the project, creating its folders. */
function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

/** Sets the modification time of `file` under the project. */
function touch(file: string, when: Date): void {
  fs.utimesSync(path.join(root, file), when, when);
}

const runs = (): number =>
  fs.existsSync(path.join(root, 'runs.txt'))
    ? fs.readFileSync(path.join(root, 'runs.txt'), 'utf8').split('\n').length - 1
    : 0;
const stackFile = (outdir: string) => path.join(outdir, 'stacks', 'mock-payment-workflow', 'cdk.tf.json');
const INPUTS = ['main.ts', 'cdktf.json', 'package-lock.json', 'lib/a.ts', 'handlers/b.ts', 'workflow/steps.ts'];

/** A project synthesized once, with every input older than its output. */
function freshlySynthesized(): string {
  const { outdir } = ensureSynthesized(root);
  for (const input of [...INPUTS, 'README.md', 'docs/page.md']) touch(input, PAST);
  touch(path.relative(root, stackFile(outdir)), LATER);
  return outdir;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-synth-'));
  write('app.js', APP);
  write('cdktf.json', JSON.stringify({ app: 'node app.js', output: 'out', context: { workflowType: 'STANDARD' } }));
  for (const input of INPUTS.filter((input) => input !== 'cdktf.json')) write(input, '');
  write('README.md', '');
  write('docs/page.md', '');
  for (const name of Object.keys(process.env).filter((key) => key.startsWith('MPW_'))) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  for (const name of Object.keys(process.env).filter(
    (key) => key.startsWith('MPW_') || key === 'NOT_MPW_WORKFLOW_TYPE',
  ))
    delete process.env[name];
  Object.assign(process.env, saved);
});

describe('Local synthesis: ensureSynthesized', () => {
  it("runs cdktf.json's app into its output folder when there is no output yet", () => {
    const result = ensureSynthesized(root);
    expect(result).toMatchObject({ outdir: path.join(root, 'out'), synthesized: true });
    expect(runs()).toBe(1);
  });

  it('writes into cdktf.out when cdktf.json names no output', () => {
    write('cdktf.json', JSON.stringify({ app: 'node app.js' }));
    expect(ensureSynthesized(root).outdir).toBe(path.join(root, 'cdktf.out'));
    expect(fs.existsSync(path.join(root, 'cdktf.out', 'stacks', 'mock-payment-workflow', 'cdk.tf.json'))).toBe(true);
  });

  it("hands the app cdktf.json's context, as cdktf synth does", () => {
    const { outdir } = ensureSynthesized(root);
    expect(JSON.parse(fs.readFileSync(stackFile(outdir), 'utf8')).context).toBe('{"workflowType":"STANDARD"}');
  });

  it('hands the app an empty context when cdktf.json has none', () => {
    write('cdktf.json', JSON.stringify({ app: 'node app.js', output: 'out' }));
    const { outdir } = ensureSynthesized(root);
    expect(JSON.parse(fs.readFileSync(stackFile(outdir), 'utf8')).context).toBe('{}');
  });

  it('does not run the app again when the output is newer than every input', () => {
    freshlySynthesized();
    expect(ensureSynthesized(root).synthesized).toBe(false);
    expect(runs()).toBe(1);
  });

  it.each(INPUTS)('runs the app again when %s is newer than the output', (input) => {
    freshlySynthesized();
    touch(input, new Date('2022-01-01T00:00:00Z'));
    expect(ensureSynthesized(root).synthesized).toBe(true);
    expect(runs()).toBe(2);
  });

  it('runs the app again when an input is exactly as old as the output: a tie may hide a change', () => {
    freshlySynthesized();
    touch('main.ts', LATER);
    expect(ensureSynthesized(root).synthesized).toBe(true);
  });

  it('runs the app again when a file deep in an input folder is newer than the output', () => {
    freshlySynthesized();
    write('lib/deep/c.ts', '');
    expect(ensureSynthesized(root).synthesized).toBe(true);
  });

  it('does not run the app again when only a file outside the inputs changed', () => {
    freshlySynthesized();
    touch('README.md', new Date('2022-01-01T00:00:00Z'));
    touch('docs/page.md', new Date('2022-01-01T00:00:00Z'));
    expect(ensureSynthesized(root).synthesized).toBe(false);
  });

  it('runs the app again, however fresh the output, when an MPW_* variable is set, and hands it the variable', () => {
    const outdir = freshlySynthesized();
    process.env.MPW_WORKFLOW_TYPE = 'EXPRESS';
    expect(ensureSynthesized(root).synthesized).toBe(true);
    expect(JSON.parse(fs.readFileSync(stackFile(outdir), 'utf8')).workflowType).toBe('EXPRESS');
  });

  it('does not run the app again for a variable that only contains MPW_', () => {
    freshlySynthesized();
    process.env.NOT_MPW_WORKFLOW_TYPE = 'EXPRESS';
    expect(ensureSynthesized(root).synthesized).toBe(false);
  });

  it('runs the app again, however fresh the output, when settings are given, and hands it them', () => {
    const outdir = freshlySynthesized();
    expect(ensureSynthesized(root, undefined, { settings: { MPW_WORKFLOW_TYPE: 'EXPRESS' } }).synthesized).toBe(true);
    expect(JSON.parse(fs.readFileSync(stackFile(outdir), 'utf8')).workflowType).toBe('EXPRESS');
  });

  it('writes into the outdir option, relative to the project, instead of the output of cdktf.json', () => {
    const { outdir } = ensureSynthesized(root, undefined, { outdir: 'out.express' });
    expect(outdir).toBe(path.join(root, 'out.express'));
    expect(fs.existsSync(stackFile(outdir))).toBe(true);
  });

  it("looks for the stack's file under the stack name it is given", () => {
    freshlySynthesized();
    expect(ensureSynthesized(root, 'another-stack').synthesized).toBe(true);
  });

  it('skips an input the project does not have', () => {
    freshlySynthesized();
    fs.rmSync(path.join(root, 'package-lock.json'));
    expect(ensureSynthesized(root).synthesized).toBe(false);
  });

  it('reports how long it took by the clock: nothing, when the clock stands still', () => {
    freshlySynthesized();
    jest.useFakeTimers({ now: new Date('2026-12-02T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    try {
      expect([
        ensureSynthesized(root).durationMs,
        ensureSynthesized(root, undefined, { settings: {} }).durationMs,
      ]).toEqual([0, 0]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('throws SynthesisFailed naming the command, its exit status and what it printed when the app fails', () => {
    write(
      'cdktf.json',
      JSON.stringify({ app: 'node -e "console.error(\'  boom  \'); process.exit(3)"', output: 'out' }),
    );
    expect(() => ensureSynthesized(root)).toThrow(
      expect.objectContaining({
        name: 'SynthesisFailed',
        message: '`node -e "console.error(\'  boom  \'); process.exit(3)"` exited with 3: boom',
      }),
    );
  });

  it('names what the app printed on stdout when it printed nothing on stderr', () => {
    write('cdktf.json', JSON.stringify({ app: 'node -e "console.log(\'quiet\'); process.exit(1)"', output: 'out' }));
    expect(() => ensureSynthesized(root)).toThrow('exited with 1: quiet');
  });
});
