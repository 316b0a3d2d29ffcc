/**
 * Starting external tools for the benchmarks: always an argument array (never a shell string),
 * stderr kept and quoted in the error when a tool fails, and two-process pipes (`bwa mem |
 * samtools sort`) wired between the spawned processes. Also `timed()`: a command measured with
 * GNU time (`/usr/bin/time -v`) for wall time and peak resident memory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

export class ToolFailedError extends Error {
  constructor(argv: readonly string[], detail: string) {
    super(`${argv.join(' ')} failed: ${detail}`);
  }
}

/** Last `max` characters of a tool's stderr, for error messages. */
const tail = (text: string, max = 2000) => (text.length > max ? '…' + text.slice(-max) : text);

interface Started {
  done: Promise<void>;
  stdout: NodeJS.ReadableStream;
  stdin: NodeJS.WritableStream;
}

function start(argv: readonly string[], stdin: 'ignore' | 'pipe'): Started {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  if (stdin === 'ignore') child.stdin.end();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = tail(stderr + chunk.toString(), 20_000);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new ToolFailedError(argv, err.message)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new ToolFailedError(argv, `exit ${code ?? signal}\n${tail(stderr)}`));
    });
  });
  return { done, stdout: child.stdout, stdin: child.stdin };
}

/** Runs a tool to completion; its stdout goes to `stdoutFile` when given, else is dropped. */
export async function runTool(argv: readonly string[], stdoutFile?: string): Promise<void> {
  const tool = start(argv, 'ignore');
  if (stdoutFile) tool.stdout.pipe(createWriteStream(stdoutFile));
  else tool.stdout.resume();
  await tool.done;
}

/** `first | second`: both must succeed (a failing producer fails the pipe, unlike `sh`). */
export async function runPipe(first: readonly string[], second: readonly string[]): Promise<void> {
  const producer = start(first, 'ignore');
  const consumer = start(second, 'pipe');
  producer.stdout.pipe(consumer.stdin);
  consumer.stdout.resume();
  await Promise.all([producer.done, consumer.done]);
}

export interface Measurement {
  wallS: number;
  /** Peak RSS of the largest single process of the command's tree (GNU time's ru_maxrss). */
  maxRssMb: number;
}

/** Wall time and peak RSS from the report of `/usr/bin/time -v`; throws when they are missing. */
export function parseGnuTime(report: string): Measurement {
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(
    report,
  );
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  if (!wall || !rss) throw new Error(`no GNU time report in:\n${tail(report)}`);
  const [hours, minutes, seconds] = [Number(wall[1] ?? 0), Number(wall[2]), Number(wall[3])];
  return { wallS: hours * 3600 + minutes * 60 + seconds, maxRssMb: Number(rss[1]) / 1024 };
}

/**
 * Runs `argv` under `/usr/bin/time -v` (stdout dropped) and returns its figures. GNU time writes
 * its report after the command's own stderr, into a file of its own (`-o`), so tool messages
 * cannot be mistaken for it.
 */
export function timed(
  argv: readonly string[],
  reportFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Measurement {
  const res = spawnSync('/usr/bin/time', ['-v', '-o', reportFile, ...argv], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw new ToolFailedError(argv, res.error.message);
  if (res.status !== 0) {
    throw new ToolFailedError(argv, `exit ${res.status}\n${tail(res.stderr.toString())}`);
  }
  return parseGnuTime(readFileSync(reportFile, 'utf8'));
}
