/** The statuses an order moves through, as users see them in the table. */
export const OrderStatus = {
  CREATED: 'created',
  HOLD: 'hold',
  PAID: 'paid',
  /** A step failed after its retries; re-running the order resumes it (hold moves it on). */
  FAILED: 'failed',
} as const;

export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** The statuses in workflow order; a status never moves to an earlier one. `failed` stands beside them. */
export const STATUS_SEQUENCE: readonly OrderStatus[] = [OrderStatus.CREATED, OrderStatus.HOLD, OrderStatus.PAID];

/**
 * The statuses each target status may be entered from: the one table the conditional writes are
 * built from, so a new transition is a new row here.
 */
export const ALLOWED_FROM = {
  // From failed too: re-running a failed order resumes it; hold is the first step that writes a status.
  [OrderStatus.HOLD]: [OrderStatus.CREATED, OrderStatus.FAILED],
  [OrderStatus.PAID]: [OrderStatus.HOLD],
  // Only the workflow's own unpaid statuses: an order someone moved out of the workflow (say,
  // `cancelled`) keeps its status, so no later run resumes it from failed and pays it.
  [OrderStatus.FAILED]: [OrderStatus.CREATED, OrderStatus.HOLD, OrderStatus.FAILED],
} as const satisfies Partial<Record<OrderStatus, readonly OrderStatus[]>>;

/** A status that a step of the workflow moves an order to (failed is recorded apart, by RecordFailure). */
export type TargetStatus = typeof OrderStatus.HOLD | typeof OrderStatus.PAID;

/**
 * Whether an order in `current` has already reached `target` or gone past it, which makes a
 * repeated step an idempotent success. Unknown statuses have reached nothing: their index, -1, is
 * below every target's.
 */
export function hasReached(current: string, target: TargetStatus): boolean {
  return STATUS_SEQUENCE.indexOf(current as OrderStatus) >= STATUS_SEQUENCE.indexOf(target);
}
