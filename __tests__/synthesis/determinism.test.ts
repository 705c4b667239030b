import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesBelow, PROJECT_ROOT, runApp } from '../support/app';
import { FUNCTION_COUNT } from '../support/steps';

/** What a synthesis needs of a checkout; node_modules is linked, not copied. */
const CHECKOUT_ENTRIES = ['main.ts', 'cdktf.json', 'package.json', 'tsconfig.json', 'lib', 'handlers', 'workflow'];

/** Copies the project to a new folder, as a second clone would be, and returns it. */
function checkout(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mpw-${name}-`));
  for (const entry of CHECKOUT_ENTRIES)
    fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('Determinism: two syntheses in two checkout folders', () => {
  const checkouts = [checkout('first'), checkout('second')];
  const stackDirs = checkouts.map((dir) => path.join(dir, 'cdktf.out', 'stacks', 'mock-payment-workflow'));

  beforeAll(() => {
    for (const dir of checkouts) {
      const result = runApp(path.join(dir, 'cdktf.out'), {}, dir);
      if (result.status !== 0) throw new Error(`synthesis in ${dir} failed: ${result.stderr}`);
    }
  });
  afterAll(() => checkouts.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('write the same files', () => {
    expect(filesBelow(stackDirs[1])).toEqual(filesBelow(stackDirs[0]));
  });

  it('write byte-identical bundles', () => {
    const bundles = filesBelow(stackDirs[0]).filter((file) => file.endsWith('.js'));
    expect(bundles).toHaveLength(FUNCTION_COUNT);
    for (const bundle of bundles) {
      expect(
        fs.readFileSync(path.join(stackDirs[1], bundle)).equals(fs.readFileSync(path.join(stackDirs[0], bundle))),
      ).toBe(true);
    }
  });

  it('write identical Terraform JSON, so source_code_hash and every archive input are the same', () => {
    const [first, second] = stackDirs.map((dir) => fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    expect(second).toBe(first);
    expect(first).not.toContain(checkouts[0]);
  });
});
