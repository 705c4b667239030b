/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  testMatch: ["<rootDir>/__tests__/**/*.test.ts"],
  // Stryker's sandboxes (npm run mutate) hold a copy of the project: never a module or a test of this one.
  modulePathIgnorePatterns: ["<rootDir>/.stryker-tmp/"],
  // Type checking runs once in `npm test` (tsc --noEmit); per-file transpiling keeps jest fast.
  transform: { "^.+\\.ts$": "ts-jest" },
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  // The local runtime suites read cdktf.out: synthesize it once, before the workers start.
  globalSetup: "<rootDir>/__tests__/support/global-setup.ts",
  testTimeout: 30000,
};
