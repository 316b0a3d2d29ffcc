// Error types of the genome library.
//
// The download and the archive checks run inside worker jobs, so most of these are plain errors
// whose one-line message goes to the job log and names what failed (the URL and HTTP status, the
// archive member, the tool and its stderr). The one error a request can cause before any job
// exists, an unusable URL, is an InvalidInputError so the API's exception filter answers 400.
// Every error also carries its facts as fields, for callers that store or translate them.

import { InvalidInputError } from '@qslam/common';

/** The URL is not an absolute http:// or https:// URL (nothing was downloaded). */
export class UnsupportedUrlError extends InvalidInputError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot download '${url}': ${reason}`, { url });
  }
}

/** A download failed: network error, bad HTTP status, short transfer, too many redirects. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly url: string,
    /** HTTP status of the failing response, when there was one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** The downloaded file is complete but its SHA-256 is not the expected one (file deleted). */
export class ChecksumMismatchError extends DownloadError {
  constructor(
    url: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`sha256 mismatch for ${url}: expected ${expected}, got ${actual}`, url);
    this.name = 'ChecksumMismatchError';
  }
}

/** An archive member would be written outside the destination, or is of a refused type. */
export class UnsafeArchiveError extends Error {
  constructor(
    readonly archive: string,
    readonly member: string,
    readonly reason: string,
  ) {
    super(`refusing to extract ${archive}: member '${member}' ${reason}`);
    this.name = 'UnsafeArchiveError';
  }
}

/** An archive cannot be read: not gzip or tar, a corrupt header, truncated data. */
export class ArchiveFormatError extends Error {
  constructor(
    readonly archive: string,
    readonly reason: string,
  ) {
    super(`cannot read archive ${archive}: ${reason}`);
    this.name = 'ArchiveFormatError';
  }
}

/** An external program (tar) failed; the message quotes the end of its stderr. */
export class ToolFailedError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    const tail = stderr.trim().split('\n').slice(-5).join(' | ');
    super(`${argv[0]} failed (exit ${exitCode ?? 'signal'})${tail ? `: ${tail}` : ''}`);
    this.name = 'ToolFailedError';
  }
}

/** A command line of one of the genome tools is invalid (exit code 2). */
export class GenomeCliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GenomeCliUsageError';
  }
}
