import { FAILURE_RECORDER, WORKFLOW_STEPS } from '../workflow/steps';

/** A status an order can be in, as users see it in the table. */
export type OrderStatus = string;

/** The status a failed step leaves the order in; re-running the order resumes it. */
export const FAILED_STATUS: OrderStatus = FAILURE_RECORDER.status;

/** The statuses in workflow order (workflow/steps.ts); a status never moves to an earlier one. `failed` stands beside them. */
export const STATUS_SEQUENCE: readonly OrderStatus[] = WORKFLOW_STEPS.map((step) => step.status);

/** A status that a step moves an order to from another (the first step creates the order instead). */
export type TargetStatus = Extract<(typeof WORKFLOW_STEPS)[number], { readonly refusalError: string }>['status'];

/**
 * The statuses each status may be entered from: each moving step's own, and for `failed` every
 * status of the workflow but the final one, over which a failure is never recorded. The conditional writes are built from it.
 */
export const ALLOWED_FROM: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  ...Object.fromEntries(
    WORKFLOW_STEPS.filter((step) => step.movesFrom.length > 0).map((step) => [step.status, step.movesFrom]),
  ),
  // Only the workflow's own unfinished statuses: an order someone moved out of the workflow (say,
  // `cancelled`) keeps its status, so no later run resumes it from failed and finishes it.
  [FAILED_STATUS]: [...STATUS_SEQUENCE.slice(0, -1), FAILED_STATUS],
};

/**
 * Whether an order in `current` has already reached `target` or gone past it, which makes a
 * repeated step an idempotent success. Unknown statuses have reached nothing: their index, -1, is
 * below every target's.
 */
export function hasReached(current: string, target: OrderStatus): boolean {
  return STATUS_SEQUENCE.indexOf(current) >= STATUS_SEQUENCE.indexOf(target);
}
