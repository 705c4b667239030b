/**
 * The names of the handlers' errors, by what the state machine does with them. Their `name`s are a
 * contract: the definition's Catch matches on them (`ErrorEquals`), so renaming one is a breaking change.
 */
export const HANDLER_ERRORS = {
  /** Raised before anything is written: the execution fails without touching the table. */
  invalidInput: 'InvalidOrderInput',
  /** Raised by a step about an order that exists (or must): the order is marked failed. A step's refusal is one of them. */
  step: ['OrderNotFound', 'PaymentNotHeld', 'OrderNotHoldable', 'ConfigurationError'],
  /** Raised by RecordFailure when its envelope is malformed: a bug in the definition. */
  recorder: ['InvalidFailureRecord'],
} as const;

/** Every error name above, in that order. */
export const ORDER_ERROR_NAMES = [HANDLER_ERRORS.invalidInput, ...HANDLER_ERRORS.step, ...HANDLER_ERRORS.recorder] as const;

/** The name of an error a step raises about an order. */
export type StepErrorName = (typeof HANDLER_ERRORS.step)[number];
