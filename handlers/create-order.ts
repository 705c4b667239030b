import { stepNamed } from '../workflow/steps';
import { runStep } from './log';
import type { OrderInput } from './order-input';
import { type OrderDeps, putNewOrder, runtimeDeps } from './orders-repo';

const step = stepNamed('CreateOrder');

/**
 * Creates the order in status `created`. If it already exists (a retry after a lost reply, or a
 * re-run) succeeds without writing, whatever its status.
 *
 * @returns the order reference HoldPayment takes as input
 * @throws InvalidOrderInput before anything is written; ConfigurationError; the SDK's own errors unchanged
 */
export function createOrder(input: unknown, deps: OrderDeps): Promise<OrderInput> {
  return runStep(step.stateName, input, async (orderId) => ({
    result: { orderId },
    outcome: await putNewOrder(deps, orderId, step.status),
  }));
}

/** Lambda entry point of the CreateOrder state. */
export const handler = (input: unknown): Promise<OrderInput> => createOrder(input, runtimeDeps());
