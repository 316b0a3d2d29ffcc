import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';

const ROOT = resolve(__dirname, '..', '..');
const API_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
const WORKER_MAIN = join(ROOT, 'dist/apps/worker/apps/worker/src/main.js');

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A real stack for one test file: the built API and worker apps as separate processes, a
 * private data directory (SQLite file + run workspaces) and a private queue prefix on the
 * shared Redis, talking real HTTP. Workers can be killed and restarted to test adoption.
 */
export class TestStack {
  readonly dataDir: string;
  readonly prefix = `qslam-test-${randomUUID().slice(0, 8)}`;
  port = 0;
  api?: ChildProcess;
  workers: ChildProcess[] = [];
  private readonly logs: string[] = [];

  constructor(private readonly extraEnv: Record<string, string> = {}) {
    if (!existsSync(API_MAIN) || !existsSync(WORKER_MAIN)) {
      throw new Error('the e2e tests start the built apps: run `npm run build` first');
    }
    this.dataDir = mkdtempSync(join(tmpdir(), 'qslam-e2e-'));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      QSLAM_DATA_DIR: this.dataDir,
      QSLAM_QUEUE_PREFIX: this.prefix,
      QSLAM_KILL_GRACE_MS: '3000',
      QSLAM_HEARTBEAT_MS: '500',
      QSLAM_JOB_LOCK_MS: '5000',
      ...this.extraEnv,
    };
  }

  async start(workers = 1): Promise<this> {
    this.port = await freePort();
    this.api = this.spawnApp('api', API_MAIN);
    await this.waitHealthy();
    for (let i = 0; i < workers; i++) await this.startWorker();
    return this;
  }

  /** Starts a new API process on the same port (after the old one was stopped). */
  async restartApi(): Promise<void> {
    if (this.api && this.api.exitCode === null && this.api.signalCode === null) {
      await this.killWorker(this.api, 'SIGTERM');
    }
    this.api = this.spawnApp('api', API_MAIN);
    await this.waitHealthy();
  }

  async startWorker(): Promise<ChildProcess> {
    const worker = this.spawnApp(`worker${this.workers.length}`, WORKER_MAIN);
    this.workers.push(worker);
    await waitFor(
      async () => {
        const { body } = await this.get('/system/status');
        return body.workers_online >= this.workers.filter(alive).length;
      },
      'worker online',
      30_000,
    );
    return worker;
  }

  /** Kills a worker process (SIGKILL by default: a crash, nothing cleaned up). */
  async killWorker(worker: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    const all = [...this.workers, ...(this.api ? [this.api] : [])];
    await Promise.all(all.map((p) => this.killWorker(p, 'SIGTERM')));
    // Jobs still running belong to this test's data dir only; stop their groups.
    for (const pgid of this.jobGroups()) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Process group ids recorded in this stack's job pid files. */
  jobGroups(): number[] {
    return jobGroupsOf(this.dataDir);
  }

  output(): string {
    return this.logs.join('');
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: RequestInit['body'],
    headers?: RequestInit['headers'],
  ): Promise<HttpResult<T>> {
    const res = await fetch(this.url + path, { method, body, headers });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string): Promise<HttpResult<T>> {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, json?: unknown): Promise<HttpResult<T>> {
    return json === undefined
      ? this.request<T>('POST', path)
      : this.request<T>('POST', path, JSON.stringify(json), { 'content-type': 'application/json' });
  }

  delete<T = any>(path: string): Promise<HttpResult<T>> {
    return this.request<T>('DELETE', path);
  }

  /** `POST /runs` multipart with the given text fields and R1/R2 files (streamed from disk). */
  async createRun(fields: Record<string, string>, r1: string, r2: string): Promise<HttpResult> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('R1', await openAsBlob(r1), 'R1.fastq.gz');
    form.append('R2', await openAsBlob(r2), 'R2.fastq.gz');
    return this.request('POST', '/runs', form);
  }

  /**
   * Starts a step, waits for its job and returns `GET /runs/{id}/results/{step}`; throws naming the
   * step when the start is not accepted or the job does not complete.
   */
  async runStep(runId: string, step: string, query = '', timeoutMs = 300_000): Promise<any> {
    const started = await this.post(`/runs/${runId}/${step}${query}`);
    if (started.status !== 202) {
      throw new Error(
        `${step}: the start answered ${started.status} ${JSON.stringify(started.body)}`,
      );
    }
    const job = await this.waitJob(
      runId,
      started.body.job_id,
      ['completed', 'failed', 'killed'],
      timeoutMs,
    );
    if (job.status !== 'completed') {
      throw new Error(`${step}: job ${job.job_id} ended ${job.status}: ${job.error_message}`);
    }
    return (await this.get(`/runs/${runId}/results/${step}`)).body;
  }

  /** Waits until the job reaches one of the statuses; returns its status record. */
  async waitJob(
    runId: string,
    jobId: number,
    statuses: string[],
    timeoutMs = 120_000,
  ): Promise<any> {
    let last: any;
    await waitFor(
      async () => {
        const { body } = await this.get(`/runs/${runId}/status`);
        last = body.step_history.find((j: any) => j.job_id === jobId);
        return last !== undefined && statuses.includes(last.status);
      },
      `job ${jobId} to become ${statuses.join('|')}`,
      timeoutMs,
      () => JSON.stringify(last),
    );
    return last;
  }

  private spawnApp(name: string, main: string): ChildProcess {
    const child = spawn(process.execPath, [main], {
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tag = (chunk: Buffer) => this.logs.push(`[${name}] ${chunk.toString()}`);
    child.stdout?.on('data', tag);
    child.stderr?.on('data', tag);
    return child;
  }

  private async waitHealthy(): Promise<void> {
    await waitFor(
      async () => {
        try {
          return (await fetch(`${this.url}/health`)).status === 200;
        } catch {
          return false;
        }
      },
      'API healthy',
      30_000,
      () => this.output(),
    );
  }
}

export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what} ${detail()}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

/** Live processes whose process group is `pgid` (from /proc). */
export function processesInGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // fields after the command name "(...)": state ppid pgrp ...
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid && rest[0] !== 'Z') found.push(Number(entry));
    } catch {
      // exited while reading
    }
  }
  return found;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Process group ids recorded in the job pid files under a data dir (the wrapper leads its
 * group): step jobs in `runs/{id}/logs`, genome jobs in `references/{name}/logs`.
 */
export function jobGroupsOf(dataDir: string): number[] {
  const groups: number[] = [];
  for (const parent of ['runs', 'references']) {
    const root = join(dataDir, parent);
    if (!existsSync(root)) continue;
    for (const owner of readdirSync(root)) {
      const logs = join(root, owner, 'logs');
      if (!existsSync(logs)) continue;
      for (const f of readdirSync(logs).filter((n) => n.endsWith('.pid'))) {
        try {
          const pgid = Number(JSON.parse(readFileSync(join(logs, f), 'utf8')).pid);
          if (pgid > 0) groups.push(pgid);
        } catch {
          // being rewritten
        }
      }
    }
  }
  return groups;
}

/** Whether a Redis answers PING at `url`. */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
