/**
 * Errors the console's HTTP API answers with: each has a literal `name` (the `error` field of the
 * JSON reply, what the page shows) and the HTTP status it maps to.
 */

/** Base of every refusal of a request; `status` is the HTTP status sent. */
export abstract class RequestRejected extends Error {
  public abstract readonly status: number;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The Host header is not the loopback address served (DNS rebinding, or a proxy in front). */
export class ForbiddenHost extends RequestRejected {
  public readonly status = 403;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ForbiddenHost';
  }
}

/** A state-changing request came from a page of another origin. */
export class ForbiddenOrigin extends RequestRejected {
  public readonly status = 403;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ForbiddenOrigin';
  }
}

/** No such page, asset, API or execution. */
export class NotFound extends RequestRejected {
  public readonly status = 404;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFound';
  }
}

/** The path exists but not with this method. */
export class MethodNotAllowed extends RequestRejected {
  public readonly status = 405;
  constructor(
    message: string,
    /** Methods the path accepts, for the `Allow` header. */
    public readonly allow: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MethodNotAllowed';
  }
}

/** The body is larger than the limit. */
export class PayloadTooLarge extends RequestRejected {
  public readonly status = 413;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PayloadTooLarge';
  }
}

/** The body is not `application/json`. */
export class UnsupportedMediaType extends RequestRejected {
  public readonly status = 415;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsupportedMediaType';
  }
}

/** The body is not JSON. */
export class InvalidJson extends RequestRejected {
  public readonly status = 400;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidJson';
  }
}

/**
 * The order id is not one the workflow accepts: named as the handlers' error (handlers/errors.ts),
 * so the page shows the name the execution would fail with. The console checks it itself: the local
 * runtime's room imports no handler source.
 */
export class InvalidOrderInput extends RequestRejected {
  public readonly status = 400;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidOrderInput';
  }
}

/** The body is JSON but a field other than `orderId` is missing, unknown or out of range. */
export class InvalidRequest extends RequestRejected {
  public readonly status = 400;
  constructor(
    message: string,
    /** The field at fault, so the page can point at it. */
    public readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InvalidRequest';
  }
}

/** Starting the executions asked for would exceed the executions in flight the console allows. */
export class TooManyExecutions extends RequestRejected {
  public readonly status = 429;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TooManyExecutions';
  }
}

/** The console is stopping (Ctrl-C) and starts nothing new. */
export class ShuttingDown extends RequestRejected {
  public readonly status = 503;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ShuttingDown';
  }
}
