/** The statuses an order moves through, as users see them in the table. */
export const OrderStatus = {
  CREATED: 'created',
  HOLD: 'hold',
  PAID: 'paid',
} as const;

export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** The statuses in workflow order; a status never moves to an earlier one. */
export const STATUS_SEQUENCE: readonly OrderStatus[] = [OrderStatus.CREATED, OrderStatus.HOLD, OrderStatus.PAID];

/**
 * The statuses each target status may be entered from: the one table the conditional writes are
 * built from, so a new transition is a new row here.
 */
export const ALLOWED_FROM = {
  [OrderStatus.HOLD]: [OrderStatus.CREATED],
  [OrderStatus.PAID]: [OrderStatus.HOLD],
} as const satisfies Partial<Record<OrderStatus, readonly OrderStatus[]>>;

/** A status that some step moves an order to. */
export type TargetStatus = keyof typeof ALLOWED_FROM;

/**
 * Whether an order in `current` has already reached `target` or gone past it, which makes a
 * repeated step an idempotent success. Unknown statuses have reached nothing.
 */
export function hasReached(current: string, target: OrderStatus): boolean {
  const index = STATUS_SEQUENCE.indexOf(current as OrderStatus);
  return index >= 0 && index >= STATUS_SEQUENCE.indexOf(target);
}
