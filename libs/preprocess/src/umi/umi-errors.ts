// Error types of the UMI extraction tool.
//
// Malformed or unpaired FASTQ input is reported with the FASTQ library's own errors
// (FastqFormatError, FastqPairError); the errors here are about what the caller asked for. The
// CLI maps UmiUsageError (bad arguments, bad pattern) to exit code 2 and everything else to 1.

/** The command line or the UMI pattern is invalid: nothing was read or written. */
export class UmiUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UmiUsageError';
  }
}

/** The UMI pattern is not a umi_tools string pattern of N and X. */
export class UmiPatternError extends UmiUsageError {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`invalid UMI pattern '${pattern}': ${reason}`);
    this.name = 'UmiPatternError';
  }
}
