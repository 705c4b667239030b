import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import type { BackendConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/settings';
import { PaymentWorkflowStack, STACK_NAME } from '../../lib/payment-workflow-stack';
import { synthWorkflowStack } from '../support/synth';

const backendOf = (backend: BackendConfig) => synthWorkflowStack({ backend }).stack.terraform;

describe('State backend', () => {
  it('keeps local state at the project root by default, as a path relative to the stack folder', () => {
    // cdktf.out/stacks/<stack>/ is three folders below the project root.
    expect(backendOf(DEFAULT_CONFIG.backend).backend).toEqual({
      local: { path: '../../../terraform.mock-payment-workflow.tfstate' },
    });
  });

  it('resolves a configured local state path from the project root too', () => {
    expect(backendOf({ type: 'local', path: 'state/dev.tfstate' }).backend).toEqual({
      local: { path: '../../../state/dev.tfstate' },
    });
  });

  it('follows an output folder inside the project that is not cdktf.out', () => {
    // Prepare
    const outdir = fs.mkdtempSync(path.join(__dirname, '..', '..', 'cdktf.out', 'jest-nested-'));
    const app = Testing.app({ outdir });
    const stack = new PaymentWorkflowStack(app, STACK_NAME, { config: DEFAULT_CONFIG });
    // Act
    const terraform = JSON.parse(Testing.synth(stack)).terraform;
    // Assess
    expect(terraform.backend.local.path).toBe('../../../../terraform.mock-payment-workflow.tfstate');
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('stores s3 state encrypted and locked with a lock file', () => {
    expect(
      backendOf({ type: 's3', bucket: 'state-bucket', key: 'mpw/terraform.tfstate', region: 'eu-west-1' }).backend,
    ).toEqual({
      s3: {
        bucket: 'state-bucket',
        key: 'mpw/terraform.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it('passes a KMS key to the s3 backend', () => {
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/abcd';
    expect(
      backendOf({ type: 's3', bucket: 'b-1', key: 'k', region: 'eu-west-1', kmsKeyId: arn }).backend.s3.kms_key_id,
    ).toBe(arn);
  });

  it('uses an HCP Terraform workspace by name', () => {
    expect(backendOf({ type: 'cloud', organization: 'acme', workspace: 'payments' }).cloud).toEqual({
      organization: 'acme',
      workspaces: { name: 'payments' },
    });
  });
});
