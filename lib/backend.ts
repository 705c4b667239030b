import * as path from 'node:path';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from 'cdktf';
import type { BackendConfig } from './config';

/** The project root: where cdktf.json is, and where local state files live. */
export const PROJECT_ROOT = path.join(__dirname, '..');

/**
 * Gives the stack its state backend.
 *
 * Local state stays at the project root, written as a path relative to the stack's output folder:
 * cdktf's implicit local backend writes an absolute path of the synthesizing machine, and a plain
 * relative path would land inside cdktf.out, a build folder people delete.
 */
export function configureBackend(stack: TerraformStack, backend: BackendConfig, outdir: string): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: localStatePath(stack, backend.path, outdir) });
      return;
    case 's3': {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        encrypt: true,
        ...(backend.kmsKeyId === undefined ? {} : { kmsKeyId: backend.kmsKeyId }),
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no property for it.
      s3.addOverride('use_lockfile', true);
      return;
    }
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace),
        ...(backend.hostname === undefined ? {} : { hostname: backend.hostname }),
      });
      return;
  }
}

function localStatePath(stack: TerraformStack, statePath: string, outdir: string): string {
  if (path.isAbsolute(statePath)) return statePath;
  const stackDir = path.resolve(outdir, 'stacks', stack.node.id);
  // Terraform runs in the stack folder; with cdktf.json's default output this is ../../../<file>.
  const toRoot = path.relative(stackDir, PROJECT_ROOT);
  return path.posix.join(...toRoot.split(path.sep), statePath);
}
