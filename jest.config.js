const os = require('node:os');

/**
 * The test tiers, by what their suites need (CONTRIBUTING.md, "Tests"), each a folder of __tests__/
 * and a jest project (`npm run test:<tier>` runs one), and whether its suites read cdktf.out.
 */
const TIERS = {
  pure: false,
  synthesis: true,
  dynalite: true,
  iam: true,
  terraform: true,
  browser: true,
  soak: true,
};

/** @type {import('jest').Config} */
const PROJECT = {
  testEnvironment: 'node',
  // Stryker's sandboxes (npm run mutate) hold a copy of the project: never a module or a test of this one.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  // Type checking runs once in `npm test` (tsc --noEmit); tsconfig's isolatedModules makes ts-jest transpile per file.
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/setup.js'],
  testTimeout: 30000,
};

/** @type {import('jest').Config} */
module.exports = {
  // jest's default is one core less than the machine has, for its main process, which only waits for
  // the workers: on 2 cores that is a single worker, and the browser, soak and CLI suites, which mostly
  // wait on their child processes, would run one after another.
  maxWorkers: os.availableParallelism(),
  // jest reads the test timeout from the top-level configuration only, not from a project's.
  testTimeout: PROJECT.testTimeout,
  projects: Object.entries(TIERS).map(([tier, readsCdktfOut]) => ({
    ...PROJECT,
    displayName: tier,
    testMatch: [`<rootDir>/__tests__/${tier}/**/*.test.ts`],
    // Synthesizes cdktf.out once, before the workers start; jest runs it only when a selected suite's tier has it.
    ...(readsCdktfOut ? { globalSetup: '<rootDir>/__tests__/support/global-setup.ts' } : {}),
  })),
};
