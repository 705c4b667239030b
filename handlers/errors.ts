/**
 * The workflow's named errors. Their `name`s are a contract: the state machine's Retry and Catch
 * match on them (`ErrorEquals`), so renaming one is a breaking change.
 */

/** Base class of every error the handlers raise on purpose. */
export abstract class OrderWorkflowError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The input is not `{ "orderId": "<1-64 of A-Z a-z 0-9 - _>" }`. Raised before anything is written. */
export class InvalidOrderInput extends OrderWorkflowError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidOrderInput';
  }
}

/** A step that needs an existing order found none. */
export class OrderNotFound extends OrderWorkflowError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderNotFound';
  }
}

/** Accept found the order in a status other than `hold` (or `paid`, which is an idempotent repeat). */
export class PaymentNotHeld extends OrderWorkflowError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentNotHeld';
  }
}

/** Hold found the order in a status it cannot move from. */
export class OrderNotHoldable extends OrderWorkflowError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderNotHoldable';
  }
}

/** A required environment variable is missing or empty: the function is misconfigured. */
export class ConfigurationError extends OrderWorkflowError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** RecordFailure received something other than the envelope the state machine builds. */
export class InvalidFailureRecord extends OrderWorkflowError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidFailureRecord';
  }
}
