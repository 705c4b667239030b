import { FAILURE_RECORDER, WORKFLOW_STEPS } from '../../workflow/steps';

/** Functions (and bundles) the stack makes: one per step of the table, and the failure recorder; pure/workflow-steps.test.ts pins them. */
export const FUNCTION_COUNT = [...WORKFLOW_STEPS, FAILURE_RECORDER].length;
