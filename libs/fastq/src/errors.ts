// Error types of the FASTQ library.
//
// Both errors carry structured fields (so an API can return them as JSON or a job can store them)
// and a one-line human message that names the file label and the place of the fault. Labels are
// what the user knows the file as ('R1', 'R2' or the upload name), not temporary paths.

/** A FASTQ file is malformed (or its gzip layer is corrupt). `record` and `line` are 1-based. */
export class FastqFormatError extends Error {
  constructor(
    readonly file: string,
    readonly record: number,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}: record ${record} (line ${line}): ${reason}`);
    this.name = 'FastqFormatError';
  }
}

/**
 * The two files of a pair are each well-formed but do not belong together: read names differ at
 * `record` (1-based), record counts differ, or one file is empty. The message names both files.
 */
export class FastqPairError extends Error {
  constructor(
    readonly files: readonly [string, string],
    readonly record: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'FastqPairError';
  }
}
