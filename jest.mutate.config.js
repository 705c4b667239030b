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
const { projects } = require('./jest.config.js');

// The settings every tier shares, with the global setup that synthesizes cdktf.out; the folder is the list below.
const { displayName, testMatch, ...project } = projects.find((tier) => tier.displayName === 'synthesis');

const SUITES = [
  'dynalite/accept-payment',
  'dynalite/create-order',
  'dynalite/hold-payment',
  'dynalite/record-failure',
  'pure/order-input',
  'pure/config',
  'synthesis/workflow-definition',
  'synthesis/timeout-budget',
  'synthesis/orders-table',
  'synthesis/payment-workflow-stack',
  'synthesis/payment-workflow',
  'synthesis/payment-workflow-module',
  'pure/console-server',
  'pure/plan-review/gate',
  'pure/plan-review/markdown',
  'pure/plan-review/plan-format',
  'synthesis/plan-review/real-plans',
  'synthesis/plan-review/syntheses',
  'pure/plan-review/rules-privilege',
  'pure/plan-review/rules-workflow',
  'pure/plan-review/rules-review',
  'synthesis/plan-review/exposure',
  'synthesis/plan-review/monitoring',
  'synthesis/plan-review/secrets',
  'synthesis/plan-review/second-pass',
  'synthesis/plan-review/review-options',
  'synthesis/plan-review/lifecycle',
  'synthesis/plan-review/values',
  'synthesis/plan-review/team-rules',
  'synthesis/plan-review/finding-rules',
  'synthesis/plan-review/noise',
  'synthesis/plan-review/privilege',
  'synthesis/plan-review/workflow-steps',
  'pure/ci-artifact',
  'synthesis/cost',
  'pure/cost-model',
  'dynalite/log-search',
  'pure/console-routing',
  'terraform/workflow-monitoring',
  'pure/step-table',
  'dynalite/transition-matrix',
  'pure/local-synth',
  'pure/soak-accounting',
];

module.exports = {
  ...project,
  testMatch: SUITES.map((suite) => `<rootDir>/__tests__/${suite}.test.ts`),
};
