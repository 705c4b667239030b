import { spawnSync } from 'node:child_process';
import {
  NoTerrainEquivalent,
  ProjectCopyFailed,
  ProjectSynthesisFailed,
  RegistryInstallFailed,
  TerrainCheckError,
  UsageError,
} from '../../../terrain/errors';
import { withoutNpmRunVariables } from '../../../terrain/cli';
import { PROJECT_ROOT } from '../../support/app';

/** Runs `npm run check:cdk-terrain -- <args>` as package.json defines it, without npm. */
function check(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, ...scriptArgs] = require('../../../package.json').scripts['check:cdk-terrain'].split(' ');
  const result = spawnSync(command, [...scriptArgs, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI: npm run check:cdk-terrain', () => {
  it('prints its usage and exits 0 with --help, before copying or installing anything', () => {
    const { status, stdout } = check('--help');
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Usage: npm run check:cdk-terrain [-- --keep]');
  });

  it('exits 2 with a UsageError on an unknown option', () => {
    const { status, stderr } = check('--fast');
    expect(status).toBe(2);
    expect(stderr.split('\n')[0]).toBe("UsageError: Unknown option '--fast'");
  });

  it("drops npm run's variables from the copy's npm, which would otherwise install into this project", () => {
    // Prepare
    const env = {
      PATH: '/usr/bin',
      npm_config_local_prefix: '/work/project',
      npm_lifecycle_event: 'check:cdk-terrain',
      npm_config_registry: 'https://registry.npmjs.org/',
      NPM_CONFIG_USERCONFIG: '/home/runner/.npmrc',
    };
    // Act
    const child = withoutNpmRunVariables(env);
    // Assess
    expect(child).toEqual({
      PATH: '/usr/bin',
      npm_config_registry: 'https://registry.npmjs.org/',
      NPM_CONFIG_USERCONFIG: '/home/runner/.npmrc',
    });
  });

  it.each([
    [TerrainCheckError, 'TerrainCheckError'],
    [UsageError, 'UsageError'],
    [RegistryInstallFailed, 'RegistryInstallFailed'],
    [NoTerrainEquivalent, 'NoTerrainEquivalent'],
    [ProjectSynthesisFailed, 'ProjectSynthesisFailed'],
    [ProjectCopyFailed, 'ProjectCopyFailed'],
  ])('names %p %s, the name it prints before the message', (ErrorClass, name) => {
    const error = new ErrorClass('message', { cause: 'the cause' });
    expect([error.name, error instanceof TerrainCheckError, error.cause]).toEqual([name, true, 'the cause']);
  });
});
