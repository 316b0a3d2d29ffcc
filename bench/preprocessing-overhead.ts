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
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simulatedPair } from '../test/support/fixtures';
import { TestStack } from '../test/support/stack';
import {
  listTimes,
  OverheadRow,
  overheadRow,
  round,
  runByHand,
  runOnServer,
  seconds,
} from './support/server-vs-hand';

const ROOT = resolve(__dirname, '..');
const OUT_DIR = join(ROOT, 'bench/out');
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1_000_000);
const STEPS = ['umi', 'cutadapt', 'fastp', 'readlen'] as const;
/** Each step runs REPEAT times through the server and REPEAT times by hand, alternating; best of. */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);

async function main(): Promise<void> {
  const reads = simulatedPair(PAIRS, 41, { umi: 10, mispriming: 0.1 });
  const stack = await new TestStack({ QSLAM_WORKER_CONCURRENCY: '1' }).start(1);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  const rows: OverheadRow[] = [];
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
        handTimes.push(runByHand(stack, runId, step, server.jobId).s);
      }
      rows.push(overheadRow(step, serverTimes, handTimes));
      console.log(`${step}: server ${listTimes(serverTimes)} s, by hand ${listTimes(handTimes)} s`);
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
