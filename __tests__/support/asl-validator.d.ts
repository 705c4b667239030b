/** asl-validator ships no type declarations; this is the part the tests use. */
declare module 'asl-validator' {
  interface ValidationResult {
    readonly isValid: boolean;
    readonly errors: ReadonlyArray<{ readonly 'Error code': string; readonly Message: string }>;
  }
  function aslValidator(definition: unknown): ValidationResult;
  export = aslValidator;
}
