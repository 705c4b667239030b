/**
 * Errors of the CDK Terrain check, each with a stable name: the CLI prints `name: message` and exits 2,
 * meaning the check could not run (as opposed to 1: it ran and found an unexplained difference).
 */

/** Base of every error that stops the check before it can compare. */
export class TerrainCheckError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerrainCheckError';
  }
}

/** A command-line option is unknown or malformed. */
export class UsageError extends TerrainCheckError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Installing from the npm registry failed: Node.js 24 or the CDK Terrain packages. */
export class RegistryInstallFailed extends TerrainCheckError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RegistryInstallFailed';
  }
}

/** The project depends on a CDKTF package that has no known CDK Terrain equivalent in versions.ts. */
export class NoTerrainEquivalent extends TerrainCheckError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NoTerrainEquivalent';
  }
}

/** This project's own synthesis failed, so there is nothing to compare the CDK Terrain one with. */
export class ProjectSynthesisFailed extends TerrainCheckError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProjectSynthesisFailed';
  }
}

/** Copying the project (git ls-files) into the temporary folder failed. */
export class ProjectCopyFailed extends TerrainCheckError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProjectCopyFailed';
  }
}
