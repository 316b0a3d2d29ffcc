/**
 * Preprocessing throughput and the server's overhead: `npm run bench:preprocessing` (after
 * `npm run build`).
 *
 * Simulates BENCH_PAIRS read pairs (default 1,000,000; 2×150, a 10-base UMI on R2, 10 %
 * mispriming), starts a stack (built API + one worker, private data dir and queue prefix), uploads
 * them, and runs umi → cutadapt → fastp → readlen through the server, timing each step from the
 * POST to the completed status (polled every 50 ms). After each step, the very same command lines
 * (read back from the job's script, logs/{step}.{job}.json) are written to a shell script and run
 * by hand with bash: the tools' own time. Each step runs BENCH_REPEAT (2) times each way,
 * alternating, and the best of each is compared. Overhead = server / by hand − 1, per step and in
 * total.
 *
 * Prints a table and writes bench/out/preprocessing-overhead.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CommandLine, describeCommandLine, JobScript } from '../libs/jobs/src/job-script';
import { simulatedPair } from '../test/support/fixtures';
import { TestStack } from '../test/support/stack';

const ROOT = resolve(__dirname, '..');
const OUT_DIR = join(ROOT, 'bench/out');
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1_000_000);
const STEPS = ['umi', 'cutadapt', 'fastp', 'readlen'] as const;
/** Each step runs REPEAT times through the server and REPEAT times by hand, alternating; best of. */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);

interface Row {
  step: string;
  server_s: number;
  by_hand_s: number;
  overhead_pct: number;
}

const seconds = (ns: bigint) => Number(ns) / 1e9;

async function runOnServer(
  stack: TestStack,
  runId: string,
  step: string,
): Promise<{ s: number; jobId: number }> {
  const t0 = process.hrtime.bigint();
  const started = await stack.post(`/runs/${runId}/${step}`);
  if (started.status !== 202) throw new Error(`${step}: ${JSON.stringify(started.body)}`);
  const jobId = started.body.job_id as number;
  for (;;) {
    const { body } = await stack.get(`/runs/${runId}/${step}/status`);
    if (body.status === 'completed') break;
    if (body.status === 'failed' || body.status === 'killed') {
      throw new Error(`${step} ${body.status}: ${body.error_message}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { s: seconds(process.hrtime.bigint() - t0), jobId };
}

/** Replays the job's command lines from a bash script; returns the wall time. */
function runByHand(stack: TestStack, runId: string, step: string, jobId: number): number {
  const ws = join(stack.dataDir, 'runs', runId);
  const script = JSON.parse(
    readFileSync(join(ws, 'logs', `${step}.${jobId}.json`), 'utf8'),
  ) as JobScript;
  const lines = script.commands.map((c: CommandLine) => describeCommandLine(c));
  const file = join(stack.dataDir, `by-hand-${step}.sh`);
  writeFileSync(file, ['set -euo pipefail', `cd '${script.cwd}'`, ...lines].join('\n') + '\n');
  const t0 = process.hrtime.bigint();
  const res = spawnSync('bash', [file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const s = seconds(process.hrtime.bigint() - t0);
  if (res.status !== 0)
    throw new Error(`by hand ${step} failed: ${res.stderr.toString().slice(-2000)}`);
  rmSync(join(ws, '.staging', String(jobId)), { recursive: true, force: true });
  return s;
}

async function main(): Promise<void> {
  const reads = simulatedPair(PAIRS, 41, { umi: 10, mispriming: 0.1 });
  const stack = await new TestStack({ QSLAM_WORKER_CONCURRENCY: '1' }).start(1);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  const rows: Row[] = [];
  try {
    const t0 = process.hrtime.bigint();
    const created = await stack.createRun(
      { name: 'bench', umi_read: 'R2', umi_pattern: 'NNNNNNNNNN' },
      reads.r1,
      reads.r2,
    );
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    const uploadS = seconds(process.hrtime.bigint() - t0);
    const runId = created.body.run_id as string;
    console.log(`upload + check of ${PAIRS} pairs: ${uploadS.toFixed(1)} s`);
    for (const step of STEPS) {
      const serverTimes: number[] = [];
      const handTimes: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        const server = await runOnServer(stack, runId, step);
        serverTimes.push(server.s);
        handTimes.push(runByHand(stack, runId, step, server.jobId));
      }
      const best = { server: Math.min(...serverTimes), hand: Math.min(...handTimes) };
      const row = {
        step,
        server_s: round(best.server),
        by_hand_s: round(best.hand),
        overhead_pct: round(100 * (best.server / best.hand - 1), 1),
      };
      rows.push(row);
      const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
      console.log(`${step}: server [${list(serverTimes)}] s, by hand [${list(handTimes)}] s`);
    }
    const server = rows.reduce((n, r) => n + r.server_s, 0);
    const byHand = rows.reduce((n, r) => n + r.by_hand_s, 0);
    const total = {
      step: 'chain',
      server_s: round(server),
      by_hand_s: round(byHand),
      overhead_pct: round(100 * (server / byHand - 1), 1),
    };
    const umi = rows[0];
    const result = {
      pairs: PAIRS,
      cpus: execFileSync('nproc').toString().trim(),
      upload_s: round(uploadS),
      umi_pairs_per_min_server: Math.round((PAIRS / umi.server_s) * 60),
      steps: [...rows, total],
    };
    console.table(result.steps);
    console.log(
      `umi through the server: ${result.umi_pairs_per_min_server.toLocaleString()} pairs/min`,
    );
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, 'preprocessing-overhead.json'), JSON.stringify(result, null, 2));
  } finally {
    await stack.stop();
  }
}

function round(x: number, digits = 2): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
