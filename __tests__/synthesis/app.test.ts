import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesBelow, PROJECT_ROOT, runApp } from '../support/app';
import { FUNCTION_COUNT } from '../support/steps';

describe('App: main.ts as cdktf.json runs it', () => {
  // Inside the project, as cdktf.out is: the state path then leads from the stack folder to the root.
  const outdir = fs.mkdtempSync(path.join(PROJECT_ROOT, 'cdktf.out', 'app-test-'));
  const stackDir = path.join(outdir, 'stacks', 'mock-payment-workflow');
  let result: ReturnType<typeof runApp>;

  beforeAll(() => {
    result = runApp(outdir);
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the stack and one bundle per function', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(filesBelow(stackDir).map((f) => f.replace(/[0-9A-F]{8,}/g, '#'))).toEqual([
      'assets/payment-workflow_accept-payment_bundle_#/#/index.js',
      'assets/payment-workflow_create-order_bundle_#/#/index.js',
      'assets/payment-workflow_hold-payment_bundle_#/#/index.js',
      'assets/payment-workflow_record-failure_bundle_#/#/index.js',
      'cdk.tf.json',
    ]);
  });

  it('keeps local state at the project root through a path relative to the stack folder', () => {
    const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(path.resolve(stackDir, stack.terraform.backend.local.path)).toBe(
      path.join(PROJECT_ROOT, 'terraform.mock-payment-workflow.tfstate'),
    );
  });

  it('writes no absolute path of the synthesizing machine anywhere in its output', () => {
    const offenders = filesBelow(outdir).filter((file) => {
      const text = fs.readFileSync(path.join(outdir, file), 'utf8');
      return text.includes(PROJECT_ROOT) || text.includes(outdir) || text.includes(os.homedir());
    });
    expect(offenders).toEqual([]);
  });

  it('keeps each bundle under 10 KiB, without source maps', () => {
    // Each bundle carries the step table (workflow/steps.ts, about 0.8 KiB); a bundled SDK or source map would be hundreds.
    const bundles = filesBelow(stackDir).filter((f) => f.endsWith('index.js'));
    expect(bundles).toHaveLength(FUNCTION_COUNT);
    for (const bundle of bundles) {
      const text = fs.readFileSync(path.join(stackDir, bundle), 'utf8');
      expect({
        bundle,
        bytes: Buffer.byteLength(text) <= 10 * 1024,
        sourceMap: text.includes('sourceMappingURL'),
      }).toEqual({
        bundle,
        bytes: true,
        sourceMap: false,
      });
    }
  });

  it('leaves the AWS SDK out of the bundles, for the runtime to provide', () => {
    const create = filesBelow(stackDir).find((f) => f.includes('create-order') && f.endsWith('index.js')) as string;
    const text = fs.readFileSync(path.join(stackDir, create), 'utf8');
    expect(text).toContain('require("@aws-sdk/client-dynamodb")');
  });

  it('synthesizes the deployable stack alone, so that a bare cdktf deploy, diff or destroy needs no stack name', () => {
    expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['mock-payment-workflow']);
  });

  it('synthesizes the module stack beside it when synthesizeModule is true', () => {
    // Prepare
    const withModule = fs.mkdtempSync(path.join(PROJECT_ROOT, 'cdktf.out', 'app-test-module-'));
    // Act
    const run = runApp(withModule, { MPW_SYNTHESIZE_MODULE: 'true' });
    // Assess
    expect(run.status).toBe(0);
    expect(fs.readdirSync(path.join(withModule, 'stacks')).sort()).toEqual([
      'mock-payment-workflow',
      'mock-payment-workflow-module',
    ]);
    fs.rmSync(withModule, { recursive: true, force: true });
  });

  it('stops with the named configuration error and writes nothing when a setting is invalid', () => {
    // Prepare
    const badOut = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-bad-'));
    // Act
    const bad = runApp(badOut, { MPW_TABLE_NAME: 'no spaces allowed' });
    // Assess
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /^ConfigurationError: Invalid setting "tableName" from environment variable MPW_TABLE_NAME/,
    );
    expect(filesBelow(badOut)).toEqual([]);
    fs.rmSync(badOut, { recursive: true, force: true });
  });
});
