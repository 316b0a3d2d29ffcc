// Resumable download of one large file (a genome index tarball of several GB) to a path.
//
// Bytes stream to `<dest>.part`; only a complete, verified file is renamed to `dest`, so `dest`
// existing means the download finished. Beside the .part, `<dest>.part.json` records which URL
// the bytes came from and the server's validator (a strong ETag, else Last-Modified). A later
// call resumes with `Range: bytes=N-` plus `If-Range: <validator>` only when the URL is the same:
// a server that changed the file, or that ignores ranges, answers 200 with the whole file and
// the download starts again from byte 0 (a partial file of unknown origin is never resumed).
// 206 must start exactly at N (Content-Range is checked); 416 with `bytes */N` means the .part is
// already complete. Within one call a lost connection, a stalled socket or a 5xx/429 answer is
// retried a few times, each retry resuming; a permanent failure (4xx, bad redirect, disk full)
// is not. The SHA-256 covers the whole file, resumed bytes included: the hash runs along the
// stream and is rebuilt from the disk whenever the bytes on disk are not exactly the bytes
// hashed (resume from an earlier call, a write lost in a failure). A mismatch deletes the .part,
// since resuming a wrong file can never make it right. Progress goes to `log` (stdout in the
// CLI), throttled by ProgressMeter.
//
// An existing `dest` is replaced: whether to download at all is the caller's decision. Two
// processes must not download to the same `dest` at once: the caller holds a lock.

import { createHash, Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidInputError } from '@qslam/common';
import { ChecksumMismatchError, DownloadError } from './errors';
import { formatBytes, formatDuration, LogLine, ProgressMeter } from './download-progress';
import { checkDownloadUrl, displayUrl, httpGet } from './http-get';

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Expected SHA-256 of the whole file (64 hex digits, any case). */
  sha256?: string;
  /** Where progress lines go. Default console.log (the job log, when run as a job). */
  log?: LogLine;
  /** Default 5. */
  maxRedirects?: number;
  /** Minimum time between two progress lines. Default 2000 ms. */
  progressIntervalMs?: number;
  /** Abort a transfer after this long without data. Default 60 s. */
  idleTimeoutMs?: number;
  /** Retries within this call after a transient failure, each resuming. Default 3. */
  retries?: number;
  /** Delay before retry k is k times this. Default 2000 ms. */
  retryDelayMs?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** Bytes already in `<dest>.part` from an earlier call and not downloaded again. */
  resumedFrom: number;
  /** The URL that served the file, after redirects (without credentials). */
  url: string;
}

type Settings = Required<Omit<DownloadOptions, 'sha256'>>;

interface PartRecord {
  url: string;
  validator: string | null;
}

/** A transfer ended early in a way that another attempt can fix. */
class TransientError extends Error {}

const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Lower-case hex of a SHA-256 given by a user; throws InvalidInputError when malformed. */
export function normalizeSha256(hex: string): string {
  const trimmed = hex.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(trimmed)) {
    throw new InvalidInputError(`sha256 must be 64 hexadecimal digits, got '${hex}'`, {
      field: 'sha256',
    });
  }
  return trimmed;
}

/** SHA-256 of the bytes of `<dest>.part`, fed by the stream and rebuilt from disk if needed. */
class PartDigest {
  private hash: Hash = createHash('sha256');
  private hashed = 0;

  constructor(private readonly path: string) {}

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.hashed += chunk.length;
  }

  /** Makes the digest cover exactly the first `size` bytes of the file. */
  async catchUp(size: number, log?: LogLine): Promise<void> {
    if (this.hashed === size) return;
    this.hash = createHash('sha256');
    this.hashed = 0;
    if (size === 0) return;
    log?.(`download: hashing the ${formatBytes(size)} already on disk`);
    for await (const chunk of createReadStream(this.path, { start: 0, end: size - 1 })) {
      this.update(chunk as Buffer);
    }
  }

  hex(): string {
    return this.hash.copy().digest('hex');
  }
}

function settingsOf(o: DownloadOptions): Settings {
  return {
    url: o.url,
    dest: o.dest,
    log: o.log ?? ((line) => console.log(line)),
    maxRedirects: o.maxRedirects ?? 5,
    progressIntervalMs: o.progressIntervalMs ?? 2000,
    idleTimeoutMs: o.idleTimeoutMs ?? 60_000,
    retries: o.retries ?? 3,
    retryDelayMs: o.retryDelayMs ?? 2000,
  };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

async function readPartRecord(path: string): Promise<PartRecord | null> {
  try {
    const record = JSON.parse(await readFile(path, 'utf8')) as Partial<PartRecord>;
    if (typeof record.url !== 'string') return null;
    return { url: record.url, validator: record.validator ?? null };
  } catch {
    return null;
  }
}

async function writePartRecord(path: string, record: PartRecord): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(record) + '\n');
  await rename(`${path}.tmp`, path);
}

/** The validator If-Range accepts: a strong ETag, else Last-Modified. */
function validatorOf(response: IncomingMessage): string | null {
  const etag = response.headers.etag;
  if (etag !== undefined && !etag.startsWith('W/')) return etag;
  return response.headers['last-modified'] ?? null;
}

function integerHeader(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

// Parses `bytes START-END/TOTAL` (TOTAL may be an asterisk) and the 416 form `bytes */TOTAL`.
function parseContentRange(value: string | undefined): {
  start: number | null;
  total: number | null;
} {
  const match = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (match === null) return { start: null, total: null };
  return {
    start: match[1] === undefined ? null : Number(match[1]),
    total: match[2] === '*' ? null : Number(match[2]),
  };
}

function isTransient(err: unknown): boolean {
  if (err instanceof TransientError) return true;
  if (err instanceof DownloadError) {
    return err.status !== undefined && (err.status >= 500 || err.status === 429);
  }
  const code = (err as NodeJS.ErrnoException).code;
  return code !== undefined && NETWORK_ERROR_CODES.has(code);
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Downloads `url` to `dest` (see the module comment); resolves once `dest` is complete. */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const url = checkDownloadUrl(options.url);
  const expected = options.sha256 === undefined ? null : normalizeSha256(options.sha256);
  const s = settingsOf(options);
  await mkdir(dirname(s.dest), { recursive: true });
  const part = `${s.dest}.part`;
  const digest = new PartDigest(part);
  const starts: number[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      const served = await transfer(url, part, digest, s, (start) => starts.push(start));
      return await finish(url, part, digest, expected, s, starts[0] ?? 0, served);
    } catch (err) {
      if (!isTransient(err) || attempt >= s.retries) throw await asDownloadError(err, url, part);
      const delay = s.retryDelayMs * (attempt + 1);
      s.log(
        `download: ${reasonOf(err)}; retry ${attempt + 1} of ${s.retries} ` +
          `in ${formatDuration(delay / 1000)}`,
      );
      await sleep(delay);
    }
  }
}

async function asDownloadError(err: unknown, url: URL, part: string): Promise<Error> {
  if (err instanceof DownloadError || err instanceof InvalidInputError) return err;
  const where = `${displayUrl(url)} (${formatBytes(await fileSize(part))} in ${part})`;
  return new DownloadError(`download of ${where} failed: ${reasonOf(err)}`, displayUrl(url));
}

async function finish(
  url: URL,
  part: string,
  digest: PartDigest,
  expected: string | null,
  s: Settings,
  resumedFrom: number,
  servedBy: string,
): Promise<DownloadResult> {
  const bytes = await fileSize(part);
  await digest.catchUp(bytes);
  const sha256 = digest.hex();
  if (expected !== null && sha256 !== expected) {
    await rm(part, { force: true });
    await rm(`${part}.json`, { force: true });
    throw new ChecksumMismatchError(displayUrl(url), expected, sha256);
  }
  const handle = await open(part, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(part, s.dest);
  await rm(`${part}.json`, { force: true });
  s.log(`download: complete, ${formatBytes(bytes)} in ${s.dest} (sha256 ${sha256})`);
  return { path: s.dest, bytes, sha256, resumedFrom, url: servedBy };
}

/** What to do with a response to a request for `offset` onwards. */
type ResponsePlan =
  | { action: 'complete' }
  | { action: 'write'; start: number; total: number | null }
  | { action: 'restart' }
  | { action: 'fail' };

/** Decides from the status and headers; pure, so that each server behaviour is one branch. */
export function planResponse(
  offset: number,
  status: number,
  headers: { 'content-range'?: string; 'content-length'?: string },
): ResponsePlan {
  const range = parseContentRange(headers['content-range']);
  const length = integerHeader(headers['content-length']);
  if (status === 200) return { action: 'write', start: 0, total: length };
  if (offset === 0) return { action: 'fail' };
  if (status === 416 && range.total === offset) return { action: 'complete' };
  if (status === 206 && range.start === offset) {
    const total = range.total ?? (length === null ? null : offset + length);
    return { action: 'write', start: offset, total };
  }
  // A range we did not ask for, or "not satisfiable" for a file of another size.
  if (status === 206 || status === 416) return { action: 'restart' };
  return { action: 'fail' };
}

/** The partial file's size if its record says it came from `url`; else deletes it and says 0. */
async function resumableOffset(url: URL, part: string, s: Settings): Promise<number> {
  const offset = await fileSize(part);
  if (offset === 0) return 0;
  const record = await readPartRecord(`${part}.json`);
  if (record?.url === url.href) return offset;
  s.log(`download: discarding ${formatBytes(offset)} of a partial file from another source`);
  await rm(part, { force: true });
  return 0;
}

async function requestHeaders(part: string, offset: number): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    'User-Agent': 'qslam-pcr-server genome download',
    'Accept-Encoding': 'identity',
  };
  if (offset > 0) {
    headers.Range = `bytes=${offset}-`;
    const validator = (await readPartRecord(`${part}.json`))?.validator;
    if (validator) headers['If-Range'] = validator;
  }
  return headers;
}

/**
 * One request: resumes or restarts `part`, streams the body into it and returns the URL that
 * served it. `onStart` learns the byte at which the body was appended.
 */
async function transfer(
  url: URL,
  part: string,
  digest: PartDigest,
  s: Settings,
  onStart: (start: number) => void,
): Promise<string> {
  const offset = await resumableOffset(url, part, s);
  const { response, url: served } = await httpGet(url, await requestHeaders(part, offset), {
    maxRedirects: s.maxRedirects,
    idleTimeoutMs: s.idleTimeoutMs,
    onRedirect: (to) => s.log(`download: redirected to ${displayUrl(to)}`),
  });
  const status = response.statusCode ?? 0;
  const plan = planResponse(offset, status, response.headers);
  if (plan.action !== 'write') response.destroy();
  if (plan.action === 'fail') {
    const message = `HTTP ${status} ${response.statusMessage ?? ''}`.trim();
    throw new DownloadError(`${message} for ${displayUrl(served)}`, displayUrl(served), status);
  }
  if (plan.action === 'restart') {
    s.log(`download: the server cannot resume at ${formatBytes(offset)}; starting again`);
    await rm(part, { force: true });
    return transfer(url, part, digest, s, onStart);
  }
  if (plan.action === 'complete') {
    s.log(`download: ${formatBytes(offset)} already downloaded`);
    onStart(offset);
    return displayUrl(served);
  }
  if (plan.start === 0) {
    if (offset > 0) s.log('download: the server sent the whole file; starting again from byte 0');
    // The old bytes go before the new validator is recorded, so they can never be paired.
    await rm(part, { force: true });
    await writePartRecord(`${part}.json`, { url: url.href, validator: validatorOf(response) });
  }
  onStart(plan.start);
  const size = plan.total === null ? 'size unknown' : formatBytes(plan.total);
  const from = plan.start > 0 ? `, resuming at ${formatBytes(plan.start)}` : '';
  s.log(`download: ${displayUrl(served)} (${size}${from})`);
  await digest.catchUp(plan.start, s.log);
  await streamBody(response, part, plan.start, plan.total, digest, s);
  return displayUrl(served);
}

async function streamBody(
  response: IncomingMessage,
  part: string,
  start: number,
  total: number | null,
  digest: PartDigest,
  s: Settings,
): Promise<void> {
  const meter = new ProgressMeter(s.log, s.progressIntervalMs, start, total);
  const started = Date.now();
  let position = start;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digest.update(chunk);
      position += chunk.length;
      meter.update(position);
      done(null, chunk);
    },
  });
  const file = createWriteStream(part, { flags: start > 0 ? 'a' : 'w' });
  try {
    await pipeline(response, counter, file);
  } catch (err) {
    if (!isTransient(err)) throw err;
    const at = `${formatBytes(position)} of ${total === null ? '?' : formatBytes(total)}`;
    throw new TransientError(`connection lost at ${at} (${reasonOf(err)})`);
  }
  if (total !== null && position !== total) {
    throw new TransientError(
      `the server closed the connection at ${formatBytes(position)} of ${formatBytes(total)}`,
    );
  }
  const seconds = (Date.now() - started) / 1000;
  s.log(`${meter.describe(position, Date.now())} (${formatDuration(seconds)})`);
}
