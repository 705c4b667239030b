/**
 * The suites `npm run mutate` runs against each mutant: those that test the mutated scope (see
 * stryker.config.json) directly and quickly. Left out because they add minutes per mutant: the browser
 * and soak suites, the settings matrix (96 syntheses), the IAM simulator suites, the security rules,
 * the local runtime, and the suites that run terraform on the whole module (workflow-monitoring runs it
 * on the alarm counts alone, its only check of those expressions). The soak's accounting and the
 * re-synthesis rule have fast suites of their own (soak-accounting, local-synth). `plan-review/cli` runs
 * the command in a child process, which no mutant reaches: review-options covers the options in process. What only they checked of the scope is pinned
 * by literal tests in the suites below (the role policies, the state machine, the module's expressions).
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

const SUITES = [
  'accept-payment',
  'create-order',
  'hold-payment',
  'record-failure',
  'order-input',
  'config',
  'workflow-definition',
  'timeout-budget',
  'orders-table',
  'payment-workflow-stack',
  'payment-workflow',
  'payment-workflow-module',
  'console-server',
  'plan-review/gate',
  'plan-review/markdown',
  'plan-review/plan-format',
  'plan-review/real-plans',
  'plan-review/syntheses',
  'plan-review/rules',
  'plan-review/exposure',
  'plan-review/monitoring',
  'plan-review/secrets',
  'plan-review/second-pass',
  'plan-review/review-options',
  'plan-review/lifecycle',
  'plan-review/values',
  'plan-review/team-rules',
  'plan-review/finding-rules',
  'plan-review/noise',
  'plan-review/privilege',
  'plan-review/workflow-steps',
  'ci-artifact',
  'cost',
  'cost-model',
  'log-search',
  'console-routing',
  'workflow-monitoring',
  'step-table',
  'transition-matrix',
  'local-synth',
  'soak-accounting',
];

module.exports = {
  ...base,
  testMatch: SUITES.map((suite) => `<rootDir>/__tests__/${suite}.test.ts`),
};
