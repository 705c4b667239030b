import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const { projects } = require('../../jest.config.js') as { projects: { displayName: string; testMatch: string[] }[] };

/** Every suite file under __tests__/, relative to it. */
function suitesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return suitesBelow(file);
    return entry.name.endsWith('.test.ts') ? [path.relative(path.join(ROOT, '__tests__'), file)] : [];
  });
}

describe('Test tiers (jest.config.js)', () => {
  it('are the seven folders of __tests__/, by what a suite needs', () => {
    expect(projects.map((project) => project.displayName)).toEqual([
      'pure',
      'synthesis',
      'dynalite',
      'iam',
      'terraform',
      'browser',
      'soak',
    ]);
  });

  it('leave no suite outside a tier folder, where no project would run it', () => {
    const tiers = new Set(projects.map((project) => project.displayName));
    expect(suitesBelow(path.join(ROOT, '__tests__')).filter((suite) => !tiers.has(suite.split(path.sep)[0]))).toEqual(
      [],
    );
  });

  it('each have an npm script that runs that tier alone', () => {
    const { scripts } = require('../../package.json') as { scripts: Record<string, string> };
    expect(Object.entries(scripts).filter(([name]) => name.startsWith('test:'))).toEqual([
      ['test:pure', 'jest --selectProjects pure'],
      ['test:synthesis', 'jest --selectProjects synthesis'],
      ['test:dynalite', 'jest --selectProjects dynalite'],
      ['test:iam', 'jest --selectProjects iam'],
      ['test:terraform', 'jest --selectProjects terraform'],
      ['test:browser', 'jest --selectProjects browser'],
      ['test:soak', 'jest --selectProjects soak'],
      ['test:watch', 'jest --watch'],
    ]);
  });
});
