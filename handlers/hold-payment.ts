import { stepNamed } from '../workflow/steps';
import { OrderNotHoldable } from './errors';
import { runStep } from './log';
import type { OrderInput } from './order-input';
import { advanceStatus, type OrderDeps, runtimeDeps } from './orders-repo';

const step = stepNamed('HoldPayment');

/**
 * Puts the order's payment on hold (`created → hold`, or resumes a failed order) with one
 * conditional write. An order already on hold or paid is an idempotent success without writing.
 *
 * @returns the order reference AcceptPayment takes as input
 * @throws InvalidOrderInput before anything is written; OrderNotFound; OrderNotHoldable from any
 * other status; ConfigurationError; the SDK's own errors unchanged
 */
export function holdPayment(input: unknown, deps: OrderDeps): Promise<OrderInput> {
  return runStep(step.stateName, input, async (orderId) => ({
    result: { orderId },
    outcome: await advanceStatus(deps, orderId, step.status, OrderNotHoldable),
  }));
}

/** Lambda entry point of the HoldPayment state. */
export const handler = (input: unknown): Promise<OrderInput> => holdPayment(input, runtimeDeps());
