/**
 * The pieces of the "through the server vs by hand" benchmarks (preprocessing-overhead,
 * mapping-overhead): a step run through the API, timed from the POST to the completed status
 * (polled every 50 ms); the very same command lines, read back from the job's script
 * (logs/{step}.{job}.json), written to a bash script and run by hand; best-of-N rows with the
 * overhead server / by hand − 1.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandLine, describeCommandLine, JobScript } from '../../libs/jobs/src/job-script';
import { TestStack } from '../../test/support/stack';

export interface OverheadRow {
  step: string;
  server_s: number;
  by_hand_s: number;
  overhead_pct: number;
}

export const seconds = (ns: bigint) => Number(ns) / 1e9;

export function round(x: number, digits = 2): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

/** `[1.23, 4.56]`: the individual timings of a step, for the log. */
export const listTimes = (xs: number[]) => `[${xs.map((x) => x.toFixed(2)).join(', ')}]`;

/** Best of the server and by-hand timings of a step, and the overhead in %. */
export function overheadRow(step: string, serverTimes: number[], handTimes: number[]): OverheadRow {
  const server = Math.min(...serverTimes);
  const hand = Math.min(...handTimes);
  return {
    step,
    server_s: round(server),
    by_hand_s: round(hand),
    overhead_pct: round(100 * (server / hand - 1), 1),
  };
}

/** Starts a step through the API and waits (polling every 50 ms) until it completed. */
export async function runOnServer(
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

/** The job's script as the worker wrote it (logs/{step}.{job}.json in the run's workspace). */
export function readJobScript(
  stack: TestStack,
  runId: string,
  step: string,
  jobId: number,
): JobScript {
  const file = join(stack.dataDir, 'runs', runId, 'logs', `${step}.${jobId}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as JobScript;
}

export interface ByHand {
  /** Wall time of the bash script. */
  s: number;
  /**
   * With `gnuTime`: bytes the script and every process it waited for wrote to the file system
   * (GNU time's "File system outputs", the kernel's ru_oublock: write_bytes / 512 of the whole
   * reaped process tree, counted when page-cache pages are dirtied, so files deleted before they
   * reach the disk count too).
   */
  fsOutputBytes?: number;
}

/**
 * Replays the job's command lines from a bash script (`set -euo pipefail`, the job's cwd and
 * env) and removes the staging folder they wrote; returns the wall time. With `gnuTime` the
 * script runs under `/usr/bin/time -v`, which adds one fork/exec and reads the tree's I/O count.
 */
export function runByHand(
  stack: TestStack,
  runId: string,
  step: string,
  jobId: number,
  options: { gnuTime?: boolean } = {},
): ByHand {
  const ws = join(stack.dataDir, 'runs', runId);
  const script = readJobScript(stack, runId, step, jobId);
  const lines = script.commands.map((c: CommandLine) => describeCommandLine(c));
  const envLines = Object.entries(script.env ?? {}).map(
    ([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`,
  );
  const file = join(stack.dataDir, `by-hand-${step}.sh`);
  writeFileSync(
    file,
    ['set -euo pipefail', ...envLines, `cd '${script.cwd}'`, ...lines].join('\n') + '\n',
  );
  const report = join(stack.dataDir, `by-hand-${step}.time`);
  const argv = options.gnuTime
    ? ['/usr/bin/time', '-v', '-o', report, 'bash', file]
    : ['bash', file];
  const t0 = process.hrtime.bigint();
  const res = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const s = seconds(process.hrtime.bigint() - t0);
  if (res.status !== 0)
    throw new Error(`by hand ${step} failed: ${res.stderr.toString().slice(-2000)}`);
  rmSync(join(ws, '.staging', String(jobId)), { recursive: true, force: true });
  if (!options.gnuTime) return { s };
  const blocks = /File system outputs: (\d+)/.exec(readFileSync(report, 'utf8'));
  if (!blocks) throw new Error(`no "File system outputs" in the GNU time report ${report}`);
  return { s, fsOutputBytes: Number(blocks[1]) * 512 };
}
