import { stepNamed } from '../workflow/steps';
import { PaymentNotHeld } from './errors';
import { runStep } from './log';
import { advanceStatus, type OrderDeps, runtimeDeps } from './orders-repo';

const step = stepNamed('AcceptPayment');

/** What AcceptPayment returns: the workflow's final output. */
export interface AcceptPaymentResult {
  /** The order whose payment was accepted. */
  readonly orderId: string;
  /** Always `paid`. */
  readonly status: typeof step.status;
  /** A human-readable summary for the execution's output. */
  readonly message: string;
}

/**
 * Accepts the held payment (`hold → paid`) with one conditional write. An order already paid is an
 * idempotent success without writing.
 *
 * @throws InvalidOrderInput before anything is written; OrderNotFound; PaymentNotHeld from any
 * other status; ConfigurationError; the SDK's own errors unchanged
 */
export function acceptPayment(input: unknown, deps: OrderDeps): Promise<AcceptPaymentResult> {
  return runStep(step.stateName, input, async (orderId) => ({
    result: { orderId, status: step.status, message: `Payment accepted for order ${orderId}` },
    outcome: await advanceStatus(deps, orderId, step.status, PaymentNotHeld),
  }));
}

/** Lambda entry point of the AcceptPayment state. */
export const handler = (input: unknown): Promise<AcceptPaymentResult> => acceptPayment(input, runtimeDeps());
