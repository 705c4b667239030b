/** Errors of the local runtime itself (not of the workflow), each with a stable name. */

/** The synthesized definition uses a state, field or integration the local runtime does not run. */
export class UnsupportedAslError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedAslError';
  }
}

/** The synthesized stack is missing or not what the local runtime expects. */
export class SynthesizedStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthesizedStackError';
  }
}

/** Running the cdktf app (`cdktf.json`'s `app` command) failed. */
export class SynthesisFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthesisFailed';
  }
}

/** A command-line option is missing, unknown or malformed. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
