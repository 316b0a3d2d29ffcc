/**
 * Starts job wrappers and observes them through their files. This is the only module that
 * spawns processes for jobs.
 *
 * The worker never relies on being the wrapper's parent to learn the outcome: it reads the
 * `.rc` file, and the pid file's heartbeat tells whether a wrapper without an `.rc` is still
 * alive. A worker that restarts (or another worker, on another host sharing the data volume)
 * can therefore adopt a running job and record its true outcome.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JobScript, PidRecord } from './job-script';
import { wrapperAlive } from './process-group';

/** Where the compiled wrapper is; under ts-jest the TypeScript source runs through ts-node. */
function wrapperCommand(): { args: string[]; env: NodeJS.ProcessEnv } {
  const js = path.join(__dirname, 'job-wrapper.js');
  if (fs.existsSync(js)) return { args: [js], env: process.env };
  // Both resolved here: the child runs in the job's cwd (the run workspace), from where node
  // would not find ts-node for `-r` and ts-node would not find the project's tsconfig.
  return {
    args: [
      '-r',
      require.resolve('ts-node/register/transpile-only'),
      path.join(__dirname, 'job-wrapper.ts'),
    ],
    env: { ...process.env, TS_NODE_PROJECT: path.resolve(__dirname, '../../../tsconfig.json') },
  };
}

/**
 * Lowers a job's CPU priority so the API stays responsive while tools run. The wrapper leads a
 * session of its own, and with autogroup scheduling (Linux default) the kernel shares the CPU
 * between sessions first: only the session's autogroup nice value counts against the API's
 * session, so that is set, plus the ordinary nice value inherited by the tools (for kernels
 * without autogroup). Best effort: either may be unavailable.
 */
export function deprioritize(pid: number, nice: number): void {
  if (nice <= 0) return;
  try {
    fs.writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch {
    // no autogroup support
  }
  try {
    os.setPriority(pid, nice);
  } catch {
    // not permitted
  }
}

/**
 * Writes the job script beside the log and starts its wrapper in a new session, at CPU
 * priority `nice` (see deprioritize).
 */
export function launchJob(script: JobScript, scriptPath: string, nice = 0): number {
  fs.writeFileSync(scriptPath, JSON.stringify(script, null, 2));
  const logFd = fs.openSync(script.logFile, 'a');
  try {
    const wrapper = wrapperCommand();
    const child = spawn(process.execPath, [...wrapper.args, scriptPath], {
      cwd: script.cwd,
      env: wrapper.env,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    child.on('error', () => undefined);
    child.unref();
    if (!child.pid) throw new Error('job wrapper could not be started');
    deprioritize(child.pid, nice);
    return child.pid;
  } finally {
    fs.closeSync(logFd);
  }
}

export function readExitCode(rcFile: string): number | null {
  try {
    const text = fs.readFileSync(rcFile, 'utf8').trim();
    return /^-?\d+$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

export function readPidRecord(pidFile: string): PidRecord | null {
  try {
    return JSON.parse(fs.readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    return null;
  }
}

export type WrapperState =
  | { state: 'finished'; exitCode: number }
  | { state: 'running'; pid: number | null; localHost: boolean }
  | { state: 'lost'; pid: number | null; localHost: boolean };

export interface JobFilePaths {
  script: string;
  rc: string;
  pid: string;
}

/**
 * Where a launched job stands. On this host the wrapper's pid is checked directly; for a
 * wrapper on another host, the pid file's heartbeat must be younger than 5 intervals.
 * `startGraceMs` covers the moment between launch and the wrapper writing its pid file.
 */
export function inspectWrapper(
  files: JobFilePaths,
  heartbeatMs: number,
  startGraceMs = 30_000,
): WrapperState {
  const exitCode = readExitCode(files.rc);
  if (exitCode !== null) return { state: 'finished', exitCode };
  const record = readPidRecord(files.pid);
  if (!record) {
    const age = fileAgeMs(files.script);
    const starting = age !== null && age < startGraceMs;
    return { state: starting ? 'running' : 'lost', pid: null, localHost: true };
  }
  const localHost = record.host === os.hostname();
  if (localHost) {
    const alive = wrapperAlive(record.pid, record.script);
    // The wrapper may have written its rc between the two reads above.
    if (!alive && readExitCode(files.rc) !== null) return inspectWrapper(files, heartbeatMs);
    return { state: alive ? 'running' : 'lost', pid: record.pid, localHost };
  }
  const age = fileAgeMs(files.pid);
  const fresh = age !== null && age < 5 * heartbeatMs;
  return { state: fresh ? 'running' : 'lost', pid: record.pid, localHost };
}

function fileAgeMs(file: string): number | null {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}
