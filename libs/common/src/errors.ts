/**
 * Domain errors. Libraries throw these; only the HTTP edge (one exception filter in the API)
 * turns them into status codes and messages. Each carries what the user needs to act:
 * the field, file or record at fault and what to do about it.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A request is malformed: a parameter out of bounds, an unknown field, a missing file. (400) */
export class InvalidInputError extends DomainError {
  readonly status = 400;
}

/** An upload is well-formed HTTP but its content is not usable data (bad FASTQ, gzip). (422) */
export class UnprocessableUploadError extends DomainError {
  readonly status = 422;
}

/** A run, job, step or file does not exist. (404) */
export class NotFoundError extends DomainError {
  readonly status = 404;
}

/** The request conflicts with the current state: a job is active, an input is missing. (409) */
export class ConflictError extends DomainError {
  readonly status = 409;
}

/** A path from the request would leave the run's workspace. (403) */
export class ForbiddenPathError extends DomainError {
  readonly status = 403;
}

/** The upload exceeds the configured limit. (413) */
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
}

/** A step named by the spec that this server does not implement yet. (501) */
export class NotImplementedError extends DomainError {
  readonly status = 501;
}

/** A dependency (Redis, the queue) is unavailable; retrying later may succeed. (503) */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
}
