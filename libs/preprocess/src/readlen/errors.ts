// Errors of the readlen tool. Malformed FASTQ content is reported by @qslam/fastq's
// FastqFormatError (file label, record, line); these cover what happens around it.

/** An input file cannot be opened or read (missing, a directory, no permission). */
export class ReadlenInputError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: cannot read ${path}: ${reason}`);
    this.name = 'ReadlenInputError';
  }
}

/** The command line is incomplete or has an unknown option. */
export class ReadlenUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadlenUsageError';
  }
}
