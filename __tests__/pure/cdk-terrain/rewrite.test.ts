import { NoTerrainEquivalent } from '../../../terrain/errors';
import { rewriteCommand, rewriteImports, rewritePackageJson } from '../../../terrain/rewrite';

describe('Rewrite: package.json for CDK Terrain', () => {
  const packageJson = {
    name: 'app',
    scripts: { synth: 'cdktf synth', deploy: 'npx cdktf deploy app', review: 'node review.js cdktf.out/stacks' },
    dependencies: {
      '@cdktf/provider-archive': '11.0.1',
      '@cdktf/provider-aws': '21.22.1',
      cdktf: '0.21.0',
      'cdktf-cli': '0.21.0',
      constructs: '10.4.2',
      esbuild: '0.28.2',
    },
    devDependencies: { typescript: '5.9.3' },
  };

  it('replaces each CDKTF dependency with its CDK Terrain equivalent at the exact version of versions.ts', () => {
    // Act
    const { packageJson: rewritten, dependencies } = rewritePackageJson(packageJson);
    // Assess
    expect(rewritten.dependencies).toEqual({
      '@cdktn/provider-archive': '14.0.1',
      '@cdktn/provider-aws': '25.7.0',
      cdktn: '0.24.0',
      'cdktn-cli': '0.24.0',
      constructs: '10.7.2',
      esbuild: '0.28.2',
    });
    expect(dependencies).toEqual([
      { from: '@cdktf/provider-archive@11.0.1', to: '@cdktn/provider-archive@14.0.1' },
      { from: '@cdktf/provider-aws@21.22.1', to: '@cdktn/provider-aws@25.7.0' },
      { from: 'cdktf@0.21.0', to: 'cdktn@0.24.0' },
      { from: 'cdktf-cli@0.21.0', to: 'cdktn-cli@0.24.0' },
      { from: 'constructs@10.4.2', to: 'constructs@10.7.2' },
    ]);
  });

  it('keeps the other fields and dependencies as they are', () => {
    // Act
    const { packageJson: rewritten } = rewritePackageJson(packageJson);
    // Assess
    expect(rewritten).toMatchObject({ name: 'app', devDependencies: { typescript: '5.9.3' } });
  });

  it('rewrites the cdktf command of the scripts that run it, and names them', () => {
    // Act
    const { packageJson: rewritten, scripts } = rewritePackageJson(packageJson);
    // Assess
    expect(rewritten.scripts).toEqual({
      synth: 'cdktn synth',
      deploy: 'npx cdktn deploy app',
      review: 'node review.js cdktf.out/stacks',
    });
    expect(scripts).toEqual(['synth', 'deploy']);
  });

  it('throws NoTerrainEquivalent for a CDKTF package versions.ts does not list', () => {
    // Prepare
    const withRandom = { dependencies: { '@cdktf/provider-random': '12.0.0' } };
    // Act
    const act = (): unknown => rewritePackageJson(withRandom);
    // Assess
    expect(act).toThrow(NoTerrainEquivalent);
    expect(act).toThrow('@cdktf/provider-random has no CDK Terrain equivalent in terrain/versions.ts');
  });
});

describe('Rewrite: imports and commands for CDK Terrain', () => {
  it('rewrites from, side-effect import, require and dynamic import specifiers, with their subpaths', () => {
    // Prepare
    const source = [
      "import { App, TerraformStack } from 'cdktf';",
      "import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';",
      "import 'cdktf/lib/testing/adapters/jest';",
      'const { Testing } = require("cdktf");',
      "const archive = await import('@cdktf/provider-archive/lib/provider');",
    ].join('\n');
    // Act
    const { text, count } = rewriteImports(source);
    // Assess
    expect(text.split('\n')).toEqual([
      "import { App, TerraformStack } from 'cdktn';",
      "import { LambdaFunction } from '@cdktn/provider-aws/lib/lambda-function';",
      "import 'cdktn/lib/testing/adapters/jest';",
      'const { Testing } = require("cdktn");',
      "const archive = await import('@cdktn/provider-archive/lib/provider');",
    ]);
    expect(count).toBe(5);
  });

  it("leaves a string that only says cdktf alone, such as the provider's managed-by tag", () => {
    // Prepare
    const source = "export const DEFAULT_TAGS = { 'managed-by': 'cdktf' } as const;\nconst out = 'cdktf.out';";
    // Act
    const { text, count } = rewriteImports(source);
    // Assess
    expect(text).toBe(source);
    expect(count).toBe(0);
  });

  it('leaves an import of a package without an equivalent for package.json or the type check to stop', () => {
    // Prepare
    const source = "import { Pet } from '@cdktf/provider-random/lib/pet';";
    // Act
    const { text, count } = rewriteImports(source);
    // Assess
    expect([text, count]).toEqual([source, 0]);
  });

  it('rewrites the cdktf CLI in a command, never cdktf.json or cdktf.out', () => {
    expect(rewriteCommand('cdktf synth && cat cdktf.json; npx cdktf diff app > cdktf.out.log')).toBe(
      'cdktn synth && cat cdktf.json; npx cdktn diff app > cdktf.out.log',
    );
  });
});
