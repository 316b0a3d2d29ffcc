// The downloader against real HTTP servers on 127.0.0.1 (node:http): full transfers, resumes
// across calls and within one call, servers that ignore Range, redirects, checksums, HTTP errors,
// and the command line as a subprocess.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadFile, DownloadOptions, planResponse } from './download';
import { parseDownloadArgs } from './download-cli';
import {
  ChecksumMismatchError,
  DownloadError,
  GenomeCliUsageError,
  UnsupportedUrlError,
} from './errors';

const BODY = randomBytes(3 * 1024 * 1024 + 17);
const BODY_SHA256 = createHash('sha256').update(BODY).digest('hex');
const ETAG = '"v1"';

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

interface TestServer {
  url: string;
  requests: { path: string; range?: string; ifRange?: string | string[] }[];
  close(): Promise<void>;
}

let dir: string;
let servers: TestServer[] = [];
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'download-'))));
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

async function serve(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({
      path: req.url ?? '',
      range: req.headers.range,
      ifRange: req.headers['if-range'],
    });
    handler(req, res, requests.length);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const test: TestServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  servers.push(test);
  return test;
}

/** A server that honours Range (206, 416) like a static file server. */
function sendRange(req: IncomingMessage, res: ServerResponse): void {
  const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRangeOk = req.headers['if-range'] === undefined || req.headers['if-range'] === ETAG;
  if (match === null || !ifRangeOk) {
    res.writeHead(200, { 'Content-Length': BODY.length, ETag: ETAG });
    res.end(BODY);
    return;
  }
  const start = Number(match[1]);
  if (start >= BODY.length) {
    res.writeHead(416, { 'Content-Range': `bytes */${BODY.length}` });
    res.end();
    return;
  }
  res.writeHead(206, {
    'Content-Length': BODY.length - start,
    'Content-Range': `bytes ${start}-${BODY.length - 1}/${BODY.length}`,
    ETag: ETAG,
  });
  res.end(BODY.subarray(start));
}

/** Sends the headers of the whole file and half the body, then cuts the connection. */
function sendHalfAndCut(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Length': BODY.length, ETag: ETAG });
  res.write(BODY.subarray(0, BODY.length >> 1), () => res.socket?.destroy());
}

function options(url: string, extra: Partial<DownloadOptions> = {}) {
  const lines: string[] = [];
  const dest = join(dir, 'sub', 'index.tar.gz');
  const o: DownloadOptions = {
    url,
    dest,
    log: (line) => lines.push(line),
    retryDelayMs: 5,
    ...extra,
  };
  return { o, lines, dest };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the download to fail');
}

describe('downloadFile', () => {
  it('downloads a whole file, creating the directory, and reports its sha256', async () => {
    const server = await serve((req, res) => sendRange(req, res));
    const { o, lines, dest } = options(`${server.url}/genome.tar.gz`);
    const result = await downloadFile({ ...o, sha256: BODY_SHA256.toUpperCase() });
    expect(readFileSync(dest).equals(BODY)).toBe(true);
    expect(result).toEqual({
      path: dest,
      bytes: BODY.length,
      sha256: BODY_SHA256,
      resumedFrom: 0,
      url: `${server.url}/genome.tar.gz`,
    });
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(existsSync(`${dest}.part.json`)).toBe(false);
    expect(server.requests[0].range).toBeUndefined();
    expect(lines.at(-1)).toContain(`sha256 ${BODY_SHA256}`);
  });

  it('resumes an interrupted transfer with Range in the next call', async () => {
    const server = await serve((req, res, n) =>
      n === 1 ? sendHalfAndCut(res) : sendRange(req, res),
    );
    const { o, dest } = options(`${server.url}/x`, { retries: 0 });
    const err = await failure(downloadFile(o));
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain(`${server.url}/x`);
    expect(existsSync(dest)).toBe(false);
    const half = statSync(`${dest}.part`).size;
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThanOrEqual(BODY.length >> 1);

    const result = await downloadFile({ ...o, sha256: BODY_SHA256 });
    expect(server.requests[1]).toMatchObject({ range: `bytes=${half}-`, ifRange: ETAG });
    expect(result.resumedFrom).toBe(half);
    expect(result.sha256).toBe(BODY_SHA256);
    expect(readFileSync(dest).equals(BODY)).toBe(true);
  });

  it('retries within one call after a lost connection, resuming where it stopped', async () => {
    const server = await serve((req, res, n) =>
      n === 1 ? sendHalfAndCut(res) : sendRange(req, res),
    );
    const { o, lines, dest } = options(`${server.url}/x`);
    const result = await downloadFile({ ...o, sha256: BODY_SHA256 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].range).toMatch(/^bytes=\d+-$/);
    expect(result.resumedFrom).toBe(0);
    expect(lines.some((l) => /connection lost .*retry 1 of 3/.test(l))).toBe(true);
    expect(readFileSync(dest).equals(BODY)).toBe(true);
  });

  it('aborts a stalled transfer after the idle timeout and resumes', async () => {
    const server = await serve((req, res, n) => {
      if (n > 1) return sendRange(req, res);
      res.writeHead(200, { 'Content-Length': BODY.length, ETag: ETAG });
      res.write(BODY.subarray(0, 1000));
    });
    const { o, dest } = options(`${server.url}/x`, { idleTimeoutMs: 300 });
    await downloadFile(o);
    expect(server.requests[1].range).toBe('bytes=1000-');
    expect(readFileSync(dest).equals(BODY)).toBe(true);
  });

  it('starts again from byte 0 when the server ignores Range (200)', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 1) return sendHalfAndCut(res);
      res.writeHead(200, { 'Content-Length': BODY.length, ETag: ETAG });
      res.end(BODY);
    });
    const { o, lines, dest } = options(`${server.url}/x`, { retries: 0 });
    await failure(downloadFile(o));
    const result = await downloadFile({ ...o, sha256: BODY_SHA256 });
    expect(server.requests[1].range).toMatch(/^bytes=/);
    expect(result.resumedFrom).toBe(0);
    expect(lines.some((l) => l.includes('starting again from byte 0'))).toBe(true);
    expect(readFileSync(dest).equals(BODY)).toBe(true);
  });

  it('finishes a partial file that is already complete (416)', async () => {
    const server = await serve((req, res) => sendRange(req, res));
    const { o, dest } = options(`${server.url}/x`);
    await downloadFile(o);
    rmSync(dest);
    // A call killed after the last byte but before the rename leaves this behind.
    writeFileSync(`${dest}.part`, BODY);
    writeFileSync(`${dest}.part.json`, JSON.stringify({ url: `${server.url}/x`, validator: ETAG }));
    const result = await downloadFile({ ...o, sha256: BODY_SHA256 });
    expect(server.requests[1].range).toBe(`bytes=${BODY.length}-`);
    expect(result).toMatchObject({ resumedFrom: BODY.length, bytes: BODY.length });
    expect(readFileSync(dest).equals(BODY)).toBe(true);
  });

  it('does not resume a partial file that came from another URL', async () => {
    const server = await serve((req, res) => sendRange(req, res));
    const { o, dest } = options(`${server.url}/new`);
    await downloadFile({ ...o, url: `${server.url}/old`, retries: 0 });
    rmSync(dest);
    writeFileSync(`${dest}.part`, BODY.subarray(0, 1000));
    writeFileSync(`${dest}.part.json`, JSON.stringify({ url: `${server.url}/old` }));
    const result = await downloadFile({ ...o, sha256: BODY_SHA256 });
    expect(server.requests[1].range).toBeUndefined();
    expect(result.resumedFrom).toBe(0);
  });

  it('fails on a sha256 mismatch and leaves neither the file nor the partial file', async () => {
    const server = await serve((req, res) => sendRange(req, res));
    const { o, dest } = options(`${server.url}/x`);
    const wrong = '0'.repeat(64);
    const err = await failure(downloadFile({ ...o, sha256: wrong }));
    expect(err).toBeInstanceOf(ChecksumMismatchError);
    expect(err.message).toContain(`expected ${wrong}, got ${BODY_SHA256}`);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('reports a 404 with the status and the URL, without retrying', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(404, 'Not Found');
      res.end('no such genome');
    });
    const { o, dest } = options(`${server.url}/missing.tar.gz`);
    const err = (await failure(downloadFile(o))) as DownloadError;
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.status).toBe(404);
    expect(err.message).toBe(`HTTP 404 Not Found for ${server.url}/missing.tar.gz`);
    expect(server.requests).toHaveLength(1);
    expect(existsSync(dest)).toBe(false);
  });

  it('retries a 503 and then gives up with the status', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const { o } = options(`${server.url}/x`, { retries: 2 });
    const err = (await failure(downloadFile(o))) as DownloadError;
    expect(err.status).toBe(503);
    expect(server.requests).toHaveLength(3);
  });

  it('follows up to 5 redirects and refuses more', async () => {
    const server = await serve((req, res) => {
      const hop = /^\/r(\d+)$/.exec(req.url ?? '');
      if (hop === null) return sendRange(req, res);
      const n = Number(hop[1]);
      res.writeHead(302, { Location: n === 0 ? '/file' : `/r${n - 1}` });
      res.end();
    });
    const ok = options(`${server.url}/r4`);
    const result = await downloadFile(ok.o);
    expect(result.url).toBe(`${server.url}/file`);
    expect(readFileSync(ok.dest).equals(BODY)).toBe(true);
    expect(ok.lines.filter((l) => l.includes('redirected to'))).toHaveLength(5);

    const err = await failure(downloadFile({ ...ok.o, url: `${server.url}/r5` }));
    expect(err.message).toBe(`too many redirects (more than 5) starting at ${server.url}/r5`);
  });

  it('refuses URLs that are not http or https, also after a redirect', async () => {
    const { o } = options('ftp://example.org/genome.tar.gz');
    await expect(downloadFile(o)).rejects.toThrow(UnsupportedUrlError);
    await expect(downloadFile({ ...o, url: 'genome.tar.gz' })).rejects.toThrow(
      'not an absolute URL',
    );
    const server = await serve((_req, res) => {
      res.writeHead(301, { Location: 'file:///etc/passwd' });
      res.end();
    });
    await expect(downloadFile({ ...o, url: server.url })).rejects.toThrow(
      "cannot download 'file:///etc/passwd': only http and https are supported",
    );
  });

  it('logs progress lines with bytes, percentage and rate', async () => {
    const server = await serve((req, res) => sendRange(req, res));
    const { o, lines } = options(`${server.url}/x`, { progressIntervalMs: 0 });
    await downloadFile(o);
    const progress = lines.filter((l) => l.includes('%'));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatch(/^download: 3\.00 MiB of 3\.00 MiB \(100\.0%\), [\d.]+ \S+\/s/);
  });
});

describe('planResponse', () => {
  it.each([
    ['a fresh 200', 0, 200, { 'content-length': '100' }, { action: 'write', start: 0, total: 100 }],
    ['a 200 without length', 0, 200, {}, { action: 'write', start: 0, total: null }],
    ['a 200 to a Range request', 50, 200, {}, { action: 'write', start: 0, total: null }],
    [
      'a 206 at the offset',
      50,
      206,
      { 'content-range': 'bytes 50-99/100', 'content-length': '50' },
      { action: 'write', start: 50, total: 100 },
    ],
    [
      'a 206 of unknown total',
      50,
      206,
      { 'content-range': 'bytes 50-99/*', 'content-length': '50' },
      { action: 'write', start: 50, total: 100 },
    ],
    ['a 206 elsewhere', 50, 206, { 'content-range': 'bytes 0-99/100' }, { action: 'restart' }],
    ['a 206 not asked for', 0, 206, { 'content-range': 'bytes 0-9/100' }, { action: 'fail' }],
    ['a 416 at the end', 100, 416, { 'content-range': 'bytes */100' }, { action: 'complete' }],
    [
      'a 416 for a longer part',
      150,
      416,
      { 'content-range': 'bytes */100' },
      { action: 'restart' },
    ],
    ['a 404', 0, 404, {}, { action: 'fail' }],
    ['a 500 to a Range request', 50, 500, {}, { action: 'fail' }],
  ])('%s', (_label, offset, status, headers, plan) => {
    expect(planResponse(offset, status, headers)).toEqual(plan);
  });
});

describe('download-cli', () => {
  /** Runs the CLI source through ts-node, asynchronously so that the test server can answer. */
  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const cli = join(__dirname, 'download-cli.ts');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', cli, ...args],
      { cwd: resolve(__dirname, '../../..') },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  }

  it('parses the contract', () => {
    expect(
      parseDownloadArgs(['--url', 'https://h/x', '--out', 'f', '--sha256', 'AB'.repeat(32)]),
    ).toEqual({ url: 'https://h/x', out: 'f', sha256: 'ab'.repeat(32) });
    expect(parseDownloadArgs(['--out', 'f', '--url', 'http://h/x'])).toEqual({
      url: 'http://h/x',
      out: 'f',
    });
    expect(() => parseDownloadArgs(['--out', 'f'])).toThrow(GenomeCliUsageError);
    expect(() => parseDownloadArgs(['--url', 'ftp://h/x', '--out', 'f'])).toThrow(
      'only http and https',
    );
    expect(() => parseDownloadArgs(['--url', 'http://h/x', '--out', 'f', '--sha256', 'z'])).toThrow(
      'sha256 must be 64 hexadecimal digits',
    );
  });

  it('exits 0 on success, 1 with the reason on stderr, 2 on a bad command line', async () => {
    const server = await serve((req, res) => {
      if (req.url !== '/missing') return sendRange(req, res);
      res.writeHead(404, 'Not Found');
      res.end();
    });
    const out = join(dir, 'file.bin');
    const ok = await run(['--url', `${server.url}/f`, '--out', out, '--sha256', BODY_SHA256]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toContain('download: complete');
    expect(readFileSync(out).equals(BODY)).toBe(true);

    const missing = await run(['--url', `${server.url}/missing`, '--out', join(dir, 'm')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`download: HTTP 404 Not Found for ${server.url}/missing`);
    expect(existsSync(join(dir, 'm'))).toBe(false);

    const usage = await run(['--out', out]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--url is required');
  }, 60_000);
});
