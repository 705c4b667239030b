/** Errors of the plan review, each with a stable name: the CLI prints `name: message` and exits 2. */

/** Base of every error the review raises about its inputs or its command line. */
export class PlanReviewError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PlanReviewError';
  }
}

/** A command-line option is unknown, missing its value or combined with one it excludes. */
export class UsageError extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** An input file cannot be read or is not the JSON document it should be. */
export class UnreadableInput extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnreadableInput';
  }
}

/** A plan JSON whose `format_version` has a major version this review does not know. */
export class UnsupportedPlanFormat extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsupportedPlanFormat';
  }
}

/** No merge base with `main` to synthesize, as in a fresh clone without a `main` ref. */
export class MergeBaseNotFound extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MergeBaseNotFound';
  }
}

/** Synthesizing the base or the head failed. */
export class SynthesisFailed extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SynthesisFailed';
  }
}

/** A JSON document that is not a plan, such as `terraform show -json` of a state. */
export class NotAPlan extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotAPlan';
  }
}

/** A plan Terraform marks `"errored": true`: planning failed partway and the plan lists only part of the changes. */
export class PlanErrored extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PlanErrored';
  }
}

/** A synthesis folder holds several stacks and `--stack` does not name one of them. */
export class StackNotChosen extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StackNotChosen';
  }
}

/** An entry of the team rules file (`.plan-review.json`) is malformed. */
export class InvalidTeamRules extends PlanReviewError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidTeamRules';
  }
}
