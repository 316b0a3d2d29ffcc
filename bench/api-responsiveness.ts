/**
 * API responsiveness benchmark: `npm run bench:api` (after `npm run build`).
 *
 * Starts its own stack — the built API and one worker as child processes, a temporary
 * QSLAM_DATA_DIR, a unique QSLAM_QUEUE_PREFIX on the Redis at REDIS_URL, a free port — creates
 * runs from simulated FASTQ, and measures `GET /runs/{id}/status` and `GET /runs` with autocannon
 * twice:
 *
 *   idle  no job anywhere;
 *   busy  a CPU-heavy FastQC job on every worker slot (QSLAM_WORKER_CONCURRENCY, default: the
 *         number of cores), each checked to be `running` before and after every measurement.
 *
 * Prints a table and writes it as JSON to bench/out/api-responsiveness.json. Everything it started
 * (jobs, processes, temp dir, Redis keys of its prefix) is removed at the end, also on Ctrl-C.
 *
 * Knobs (environment): REDIS_URL, QSLAM_WORKER_CONCURRENCY, BENCH_CONNECTIONS (50),
 * BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_BUSY_PAIRS (1500000, read pairs of each busy
 * run's upload), BENCH_IDLE_RUNS (8, small extra runs so the list has content), BENCH_SEED (7).
 *
 * Diagnostic knobs, off by default (what-if experiments that change nothing in apps/ or libs/):
 * BENCH_API_NODE_ARGS — extra Node arguments for the API process, split on spaces (e.g.
 * `--require /path/hook.js`); BENCH_RENICE_JOBS=N — once the qc jobs run, renice their process
 * groups and their sessions' autogroups to N (1..19), to see how much of the busy latency is CPU
 * contention with the tools;
 * BENCH_JOBS_SCHED_IDLE=1 — the same with the SCHED_IDLE policy (`chrt --idle`), which yields
 * the CPU to any normal task at once.
 */
import autocannon from 'autocannon';
import IORedis from 'ioredis';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openAsBlob,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, jobGroupsOf, processesInGroup, redisAnswers } from '../test/support/stack';

const ROOT = resolve(__dirname, '..');
const API_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
const WORKER_MAIN = join(ROOT, 'dist/apps/worker/apps/worker/src/main.js');
const SIMULATOR = join(ROOT, 'dist/apps/api/libs/fastq/src/simulate-cli.js');
const OUT_DIR = join(ROOT, 'bench/out');
const OUT_FILE = join(OUT_DIR, 'api-responsiveness.json');

function envInt(key: string, fallback: number, min = 1): number {
  const raw = process.env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${key} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

const SETTINGS = {
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  workerConcurrency: envInt('QSLAM_WORKER_CONCURRENCY', Math.max(1, os.availableParallelism())),
  connections: envInt('BENCH_CONNECTIONS', 50),
  durationS: envInt('BENCH_DURATION_S', 10),
  warmupS: envInt('BENCH_WARMUP_S', 2, 0),
  busyPairs: envInt('BENCH_BUSY_PAIRS', 1_500_000),
  idleRuns: envInt('BENCH_IDLE_RUNS', 8, 0),
  idlePairs: 20_000,
  seed: envInt('BENCH_SEED', 7),
  apiNodeArgs: (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
  reniceJobs: envInt('BENCH_RENICE_JOBS', 0, 0),
  jobsSchedIdle: process.env.BENCH_JOBS_SCHED_IDLE === '1',
  p99TargetMs: 50,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface JsonResponse<T> {
  status: number;
  body: T;
}

interface JobStatusBody {
  job_id?: number;
  status?: string;
  message?: string;
}

interface CpuSample {
  at: number;
  /** Busy and total CPU time of the whole machine, ms, summed over the cores. */
  busyMs: number;
  totalMs: number;
  /** CPU time of the API process, the worker, the job process groups and this process, ms. */
  apiMs: number;
  /** The API's main (JavaScript) thread only: CPU time and time spent waiting for a CPU, ms. */
  apiMainMs: number;
  apiMainWaitMs: number;
  workerMs: number;
  jobsMs: number;
  benchMs: number;
}

interface Measurement {
  scenario: 'idle' | 'busy';
  endpoint: string;
  connections: number;
  duration_s: number;
  requests: number;
  req_per_s: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Machine CPU use during the measurement, % of all cores. */
  machine_cpu_pct: number;
  /** API process CPU use, % of one core. */
  api_cpu_pct: number;
  /** API main (JavaScript) thread CPU use, % of one core: 100 = the event loop is saturated. */
  api_main_thread_cpu_pct: number;
  /** Time the API main thread was runnable but waiting for a CPU, % of the wall time. */
  api_main_thread_cpu_wait_pct: number;
  /** API CPU time per request, ms: its efficiency, little affected by other load. */
  api_cpu_ms_per_req: number;
  /** This process (autocannon) CPU use, % of one core. */
  loadgen_cpu_pct: number;
  /** Worker process and job process groups (the tools) CPU use, % of one core. */
  worker_cpu_pct: number;
  jobs_cpu_pct: number;
  /** CPU used outside this benchmark's processes (other programs on the machine), % of one core. */
  outside_cpu_pct: number;
  /** Busy scenario: `GET /runs/{id}/qc/status` of every busy run, before and after. */
  jobs_before?: string[];
  jobs_after?: string[];
  all_jobs_running?: boolean;
}

/** The stack under test: API + one worker, private data dir, queue prefix and port. */
class BenchStack {
  readonly tmp = mkdtempSync(join(os.tmpdir(), 'qslam-bench-'));
  readonly dataDir = join(this.tmp, 'data');
  readonly fastqDir = join(this.tmp, 'fastq');
  readonly prefix = `qslam-bench-${randomUUID().slice(0, 8)}`;
  port = 0;
  api?: ChildProcess;
  worker?: ChildProcess;
  private readonly logs: string[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      QSLAM_DATA_DIR: this.dataDir,
      QSLAM_QUEUE_PREFIX: this.prefix,
      REDIS_URL: SETTINGS.redisUrl,
      QSLAM_WORKER_CONCURRENCY: String(SETTINGS.workerConcurrency),
      QSLAM_KILL_GRACE_MS: '3000',
    };
  }

  async start(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    this.port = await freePort();
    this.api = this.spawnApp('api', API_MAIN, SETTINGS.apiNodeArgs);
    await waitFor(
      async () => (await fetch(`${this.url}/health`).catch(() => null))?.status === 200,
      'the API to answer /health with 200',
      30_000,
      () => this.output(),
    );
    this.worker = this.spawnApp('worker', WORKER_MAIN);
    await waitFor(
      async () => {
        const res = await this.json<{ workers_online?: number }>('GET', '/system/status');
        return (res.body.workers_online ?? 0) >= 1;
      },
      'the worker to come online',
      30_000,
      () => this.output(),
    );
  }

  async json<T>(method: string, path: string, body?: FormData): Promise<JsonResponse<T>> {
    const res = await fetch(this.url + path, { method, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T };
  }

  /** `POST /runs` multipart: name, R1, R2 (streamed from disk). */
  async createRun(name: string, dir: string): Promise<string> {
    const form = new FormData();
    form.append('name', name);
    form.append('R1', await openAsBlob(join(dir, 'R1.fastq.gz')), 'R1.fastq.gz');
    form.append('R2', await openAsBlob(join(dir, 'R2.fastq.gz')), 'R2.fastq.gz');
    const res = await this.json<{ run_id?: string }>('POST', '/runs', form);
    if (res.status !== 201 || !res.body.run_id) {
      throw new Error(`POST /runs answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res.body.run_id;
  }

  /** Process group ids of the job wrappers (from the job pid files of this data dir). */
  jobGroups(): number[] {
    return jobGroupsOf(this.dataDir);
  }

  async stop(): Promise<void> {
    for (const child of [this.worker, this.api]) await stopProcess(child);
    for (const pgid of this.jobGroups()) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.dropQueueKeys();
    rmSync(this.tmp, { recursive: true, force: true });
  }

  output(): string {
    return this.logs.join('').slice(-8000);
  }

  private async dropQueueKeys(): Promise<void> {
    const redis = new IORedis(SETTINGS.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch (err) {
      console.warn(`could not remove the Redis keys ${this.prefix}:*: ${String(err)}`);
    } finally {
      redis.disconnect();
    }
  }

  private spawnApp(name: string, main: string, nodeArgs: string[] = []): ChildProcess {
    const child = spawn(process.execPath, [...nodeArgs, main], {
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => this.logs.push(`[${name}] ${chunk.toString()}`);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  }
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}\n${detail()}`);
}

function simulate(outDir: string, pairs: number, seed: number): Promise<void> {
  return new Promise((resolveSim, reject) => {
    const child = spawn(
      process.execPath,
      [
        SIMULATOR,
        ...['--out', outDir, '--pairs', String(pairs), '--seed', String(seed)],
        ...['--genome-size', '200000'],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolveSim() : reject(new Error(`simulator exited ${code}: ${stderr}`)),
    );
  });
}

/** CPU use of the whole machine over `ms`, % of one core (before the stack exists). */
async function backgroundCpuPct(ms: number): Promise<number> {
  const busy = () =>
    os.cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
  const before = busy();
  const own = process.cpuUsage();
  await sleep(ms);
  const mine = process.cpuUsage(own);
  return round(Math.max(0, busy() - before - (mine.user + mine.system) / 1000) / (ms / 100));
}

/** Puts every thread of every live process in the group under SCHED_IDLE (diagnostic knob). */
function schedIdleGroup(pgid: number): void {
  for (const pid of processesInGroup(pgid)) {
    try {
      execFileSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(pid)], {
        stdio: 'ignore',
      });
    } catch {
      // exited meanwhile
    }
  }
}

/** Sets the nice value of every live process in the group (diagnostic knob). */
function reniceGroup(pgid: number, nice: number): void {
  for (const pid of processesInGroup(pgid)) {
    try {
      // Threads (the JVM's) carry their own nice value: set it on each of them.
      for (const tid of readdirSync(`/proc/${pid}/task`)) os.setPriority(Number(tid), nice);
      // Each job runs in a session of its own (a detached wrapper), so with the kernel's
      // autogroup scheduling its tools compete as a group, whatever their nice value: the
      // group's own nice value is what counts against the API.
      if (existsSync(`/proc/${pid}/autogroup`)) writeFileSync(`/proc/${pid}/autogroup`, `${nice}`);
    } catch {
      // exited meanwhile
    }
  }
}

/** CPU time of a process (or one of its threads) from /proc/{pid}/stat (utime + stime), ms; 0 when unreadable. */
function processCpuMs(pid: number | undefined, thread?: number): number {
  if (!pid) return 0;
  try {
    const file = thread ? `/proc/${pid}/task/${thread}/stat` : `/proc/${pid}/stat`;
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after "(comm)": state is field 3, utime 14 and stime 15 (1-based) => indexes 11 and 12
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** Run-queue wait of a process's main thread (/proc/{pid}/task/{pid}/schedstat), ms. */
function runQueueWaitMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const [, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
    return Number(waitNs) / 1e6;
  } catch {
    return 0;
  }
}

/** CPU time of every live process whose process group is one of `groups`, ms. */
function groupsCpuMs(groups: number[]): number {
  let total = 0;
  for (const pgid of groups) {
    for (const pid of processesInGroup(pgid)) total += processCpuMs(pid);
  }
  return total;
}

function cpuSample(stack: BenchStack): CpuSample {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  const own = process.cpuUsage();
  return {
    at: Date.now(),
    busyMs: busy,
    totalMs: total,
    apiMs: processCpuMs(stack.api?.pid),
    apiMainMs: stack.api?.pid ? processCpuMs(stack.api.pid, stack.api.pid) : 0,
    apiMainWaitMs: runQueueWaitMs(stack.api?.pid),
    workerMs: processCpuMs(stack.worker?.pid),
    jobsMs: groupsCpuMs(stack.jobGroups()),
    benchMs: (own.user + own.system) / 1000,
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function measure(
  stack: BenchStack,
  scenario: 'idle' | 'busy',
  endpoint: string,
  path: string,
  jobCheck?: () => Promise<string[]>,
): Promise<Measurement> {
  const url = stack.url + path;
  if (SETTINGS.warmupS > 0) {
    await autocannon({ url, connections: SETTINGS.connections, duration: SETTINGS.warmupS });
  }
  const jobsBefore = jobCheck ? await jobCheck() : undefined;
  const before = cpuSample(stack);
  const result = await autocannon({
    url,
    connections: SETTINGS.connections,
    duration: SETTINGS.durationS,
  });
  const after = cpuSample(stack);
  const jobsAfter = jobCheck ? await jobCheck() : undefined;
  const wallMs = after.at - before.at;
  const m: Measurement = {
    scenario,
    endpoint,
    connections: SETTINGS.connections,
    duration_s: result.duration,
    requests: result.requests.total,
    req_per_s: round(result.requests.average, 0),
    p50_ms: result.latency.p50,
    p90_ms: result.latency.p90,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    mean_ms: round(result.latency.mean, 2),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    machine_cpu_pct: round(
      (100 * (after.busyMs - before.busyMs)) / Math.max(1, after.totalMs - before.totalMs),
    ),
    api_cpu_pct: round((100 * (after.apiMs - before.apiMs)) / wallMs),
    api_main_thread_cpu_pct: round((100 * (after.apiMainMs - before.apiMainMs)) / wallMs),
    api_main_thread_cpu_wait_pct: round(
      (100 * (after.apiMainWaitMs - before.apiMainWaitMs)) / wallMs,
    ),
    api_cpu_ms_per_req: round((after.apiMs - before.apiMs) / Math.max(1, result.requests.total), 3),
    loadgen_cpu_pct: round((100 * (after.benchMs - before.benchMs)) / wallMs),
    worker_cpu_pct: round((100 * (after.workerMs - before.workerMs)) / wallMs),
    jobs_cpu_pct: round((100 * (after.jobsMs - before.jobsMs)) / wallMs),
    outside_cpu_pct: 0,
  };
  const ownMs = (x: CpuSample) => x.apiMs + x.workerMs + x.jobsMs + x.benchMs;
  m.outside_cpu_pct = round(
    Math.max(0, after.busyMs - before.busyMs - (ownMs(after) - ownMs(before))) / (wallMs / 100),
  );
  if (jobsBefore && jobsAfter) {
    m.jobs_before = jobsBefore;
    m.jobs_after = jobsAfter;
    m.all_jobs_running = [...jobsBefore, ...jobsAfter].every((s) => s === 'running');
  }
  return m;
}

/** Starts `POST /runs/{id}/qc?stage=both`, or `stage=before` when there are no trimmed reads. */
async function startQc(stack: BenchStack, runId: string): Promise<string> {
  let res = await stack.json<JobStatusBody>('POST', `/runs/${runId}/qc?stage=both`);
  if (res.status === 202) return 'both';
  // `after` (and so `both`) needs trimmed reads, which a fresh upload does not have.
  if (res.status !== 409) {
    throw new Error(`POST /runs/${runId}/qc?stage=both answered ${res.status}`);
  }
  const refusal = res.body.message ?? JSON.stringify(res.body);
  res = await stack.json<JobStatusBody>('POST', `/runs/${runId}/qc?stage=before`);
  if (res.status !== 202) {
    throw new Error(
      `POST /runs/${runId}/qc answered ${res.status} for stage=before: ${JSON.stringify(res.body)}`,
    );
  }
  return `before (stage=both refused: ${refusal})`;
}

function printTable(rows: Measurement[]): void {
  const header = [
    'scenario',
    'endpoint',
    'p50 ms',
    'p99 ms',
    'max ms',
    'req/s',
    'non-2xx',
    'errors',
    'API CPU%',
    'API main%',
    'main wait%',
    'API ms/req',
    'jobs CPU%',
    'other CPU%',
    'machine CPU%',
    'jobs running',
  ];
  const lines = rows.map((r) => [
    r.scenario,
    r.endpoint,
    String(r.p50_ms),
    String(r.p99_ms),
    String(r.max_ms),
    String(r.req_per_s),
    String(r.non2xx),
    String(r.errors),
    String(r.api_cpu_pct),
    String(r.api_main_thread_cpu_pct),
    String(r.api_main_thread_cpu_wait_pct),
    String(r.api_cpu_ms_per_req),
    String(r.jobs_cpu_pct),
    String(r.outside_cpu_pct),
    String(r.machine_cpu_pct),
    r.all_jobs_running === undefined ? '-' : r.all_jobs_running ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(
    '(CPU%: API, jobs and other = % of one core; machine = % of all cores; ' +
      'API main% = its JavaScript thread; main wait% = that thread runnable but waiting for a CPU; ' +
      'API ms/req = API CPU time per request)',
  );
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(fmt(line));
}

async function main(): Promise<void> {
  for (const file of [API_MAIN, WORKER_MAIN, SIMULATOR]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  if (!(await redisAnswers(SETTINGS.redisUrl))) {
    throw new Error(`no Redis answers at ${SETTINGS.redisUrl} (set REDIS_URL or start one)`);
  }

  const stack = new BenchStack();
  let stopping: Promise<void> | undefined;
  const busyRuns: string[] = [];
  const cleanUp = async () => {
    stopping ??= (async () => {
      for (const id of busyRuns) {
        // Kill the jobs through the API first (they may already be over: 409 is fine).
        await stack.json('DELETE', `/runs/${id}/kill`).catch(() => undefined);
      }
      await stack.stop();
    })();
    return stopping;
  };
  const onSignal = () => {
    console.error('\ninterrupted: stopping the stack');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const log = (msg: string) => console.log(`[bench] ${msg}`);
    log(
      `cores ${os.availableParallelism()}, worker concurrency ${SETTINGS.workerConcurrency}, ` +
        `${SETTINGS.connections} connections x ${SETTINGS.durationS}s, temp dir ${stack.tmp}`,
    );
    const background = await backgroundCpuPct(2000);
    log(`CPU used by other programs before the start: ${background}% of one core`);
    if (background > 25) {
      log('WARNING: the machine is not idle; latencies will include that contention');
    }
    const smallDir = join(stack.fastqDir, 'small');
    const largeDir = join(stack.fastqDir, 'large');
    log(`simulating FASTQ: ${SETTINGS.idlePairs} and ${SETTINGS.busyPairs} pairs`);
    await simulate(smallDir, SETTINGS.idlePairs, SETTINGS.seed);
    await simulate(largeDir, SETTINGS.busyPairs, SETTINGS.seed + 1);

    await stack.start();
    log(`stack up on ${stack.url} (queue prefix ${stack.prefix})`);

    for (let i = 0; i < SETTINGS.idleRuns; i++) {
      await stack.createRun(`bench-small-${i + 1}`, smallDir);
    }
    for (let i = 0; i < SETTINGS.workerConcurrency; i++) {
      const started = Date.now();
      busyRuns.push(await stack.createRun(`bench-large-${i + 1}`, largeDir));
      log(`created busy run ${busyRuns[i]} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
    const target = busyRuns[0];
    const statusPath = `/runs/${target}/status`;
    const endpoints: Array<[string, string]> = [
      ['GET /runs/{id}/status', statusPath],
      ['GET /runs', '/runs'],
    ];
    const results: Measurement[] = [];

    log('measuring: idle');
    for (const [name, path] of endpoints) results.push(await measure(stack, 'idle', name, path));

    log(`starting qc on ${busyRuns.length} run(s)`);
    const stages = [];
    for (const id of busyRuns) stages.push(await startQc(stack, id));
    log(`qc stage: ${stages[0]}`);
    const qcStatuses = async () =>
      Promise.all(
        busyRuns.map(async (id) => {
          const res = await stack.json<JobStatusBody>('GET', `/runs/${id}/qc/status`);
          return res.status === 200 ? (res.body.status ?? '?') : `http ${res.status}`;
        }),
      );
    await waitFor(
      async () => (await qcStatuses()).every((s) => s === 'running'),
      'every qc job to be running',
      60_000,
      () => stack.output(),
    );
    await sleep(3000); // FastQC's JVM is past its start-up and reading
    if (SETTINGS.reniceJobs > 0) {
      for (const pgid of stack.jobGroups()) reniceGroup(pgid, SETTINGS.reniceJobs);
      log(`reniced the job process groups to ${SETTINGS.reniceJobs} (BENCH_RENICE_JOBS)`);
    }
    if (SETTINGS.jobsSchedIdle) {
      for (const pgid of stack.jobGroups()) schedIdleGroup(pgid);
      log('job process groups moved to SCHED_IDLE (BENCH_JOBS_SCHED_IDLE)');
    }
    const loadBefore = os.loadavg()[0];

    log('measuring: busy');
    for (const [name, path] of endpoints) {
      results.push(await measure(stack, 'busy', name, path, qcStatuses));
    }
    const finalJobs = await qcStatuses();

    console.log('');
    printTable(results);
    console.log('');
    const busy = results.filter((r) => r.scenario === 'busy');
    for (const r of busy) {
      if (!r.all_jobs_running) {
        console.log(
          `WARNING: not every qc job was running during busy ${r.endpoint}: ` +
            `before ${r.jobs_before?.join(',')}, after ${r.jobs_after?.join(',')} ` +
            '(raise BENCH_BUSY_PAIRS)',
        );
      }
    }
    const worstBusyP99 = Math.max(...busy.map((r) => r.p99_ms));
    const met = worstBusyP99 < SETTINGS.p99TargetMs;
    console.log(
      `busy p99 ${worstBusyP99} ms: target p99 < ${SETTINGS.p99TargetMs} ms ` +
        (met ? 'MET' : 'MISSED'),
    );

    const report = {
      benchmark: 'api-responsiveness',
      date: new Date().toISOString(),
      command: 'npm run bench:api',
      machine: {
        cores: os.availableParallelism(),
        cpu_model: os.cpus()[0]?.model ?? null,
        memory_gib: round(os.totalmem() / 1024 ** 3),
        node: process.version,
        load_avg_1m_at_busy_start: round(loadBefore, 2),
        other_programs_cpu_pct_at_start: background,
      },
      settings: {
        connections: SETTINGS.connections,
        duration_s: SETTINGS.durationS,
        warmup_s: SETTINGS.warmupS,
        worker_concurrency: SETTINGS.workerConcurrency,
        busy_runs: busyRuns.length,
        busy_pairs_per_run: SETTINGS.busyPairs,
        idle_runs: SETTINGS.idleRuns,
        idle_pairs_per_run: SETTINGS.idlePairs,
        runs_listed: SETTINGS.idleRuns + busyRuns.length,
        qc_stage: stages[0],
        api_node_args: SETTINGS.apiNodeArgs,
        renice_jobs: SETTINGS.reniceJobs || null,
        jobs_sched_idle: SETTINGS.jobsSchedIdle,
        status_target_run: target,
        redis_url: SETTINGS.redisUrl,
      },
      target: { busy_p99_ms_below: SETTINGS.p99TargetMs, met, worst_busy_p99_ms: worstBusyP99 },
      qc_jobs_at_end_of_measurement: finalJobs,
      results,
    };
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(OUT_FILE, JSON.stringify(report, null, 2) + '\n');
    console.log(`written ${OUT_FILE}`);
  } catch (err) {
    console.error(stack.output());
    throw err;
  } finally {
    console.log('[bench] stopping the stack (killing the jobs)');
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
