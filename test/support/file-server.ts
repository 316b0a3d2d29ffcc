import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ServedFile {
  data: Buffer;
  /** Spread the body over about this many milliseconds (a slow mirror). */
  slowMs?: number;
  /** Cut the connection after this many bytes of the first whole download (then serve normally). */
  dropFirstAfter?: number;
  /** Answer every request with this status instead (e.g. 404). */
  status?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  range: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A small HTTP server on 127.0.0.1 for the genome tarballs of the e2e tests: serves files from
 * memory (with strong ETags and `Range: bytes=N-`), optionally slowly, and records every request
 * so that a test can count how many times a file was downloaded.
 */
export class FileServer {
  private readonly files = new Map<string, ServedFile>();
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  port = 0;

  serve(path: string, file: ServedFile): string {
    this.files.set(path, file);
    return this.url(path);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** GET requests for `path`. */
  gets(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.path === path);
  }

  /** Downloads of the whole file (GET without a Range header; range requests are resumes). */
  wholeDownloads(path: string): number {
    return this.gets(path).filter((r) => r.range === null).length;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((r) => this.server!.close(r));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const range = req.headers.range ?? null;
    this.requests.push({ method: req.method ?? '', path, range });
    const file = this.files.get(path);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (file.status) {
      res.writeHead(file.status, { 'content-type': 'text/plain' }).end(`status ${file.status}`);
      return;
    }
    const total = file.data.length;
    let start = 0;
    const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) {
      start = Number(m[1]);
      if (start >= total) {
        res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
        return;
      }
    }
    const body = file.data.subarray(start);
    const headers = {
      'content-type': 'application/gzip',
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      etag: `"${total}"`,
      ...(m ? { 'content-range': `bytes ${start}-${total - 1}/${total}` } : {}),
    };
    res.writeHead(m ? 206 : 200, headers);
    if (req.method === 'HEAD') return void res.end();
    if (!m && file.dropFirstAfter !== undefined) {
      const cut = file.dropFirstAfter;
      delete file.dropFirstAfter;
      // Handed to the kernel before the cut, so the client receives exactly `cut` bytes.
      await new Promise((r) => res.write(body.subarray(0, cut), r));
      await sleep(100);
      res.socket?.destroy();
      return;
    }
    const pieces = file.slowMs ? 20 : 1;
    const size = Math.ceil(body.length / pieces);
    for (let i = 0; i < pieces; i++) {
      if (res.destroyed) return;
      res.write(body.subarray(i * size, (i + 1) * size));
      if (file.slowMs) await sleep(file.slowMs / pieces);
    }
    res.end();
  }
}
