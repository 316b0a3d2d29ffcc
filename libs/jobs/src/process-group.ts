/**
 * Process-group control on this host: liveness checks and the TERM-then-KILL sequence.
 * The job's pgid is the wrapper's pid (it leads a new session), so signalling `-pgid` reaches
 * the wrapper and every tool it started, including pipelines.
 */
import * as fs from 'node:fs';

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` is alive and is the wrapper started for `scriptPath` (guards pid reuse). */
export function wrapperAlive(pid: number, scriptPath: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0').includes(scriptPath);
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return true;
    await sleep(50);
  }
  return !groupAlive(pgid);
}

/** Sends SIGTERM to the group, then SIGKILL after `graceMs`; resolves when no member is left. */
export async function terminateGroup(pgid: number, graceMs: number): Promise<'term' | 'kill'> {
  signalGroup(pgid, 'SIGTERM');
  if (await waitGone(pgid, graceMs)) return 'term';
  signalGroup(pgid, 'SIGKILL');
  await waitGone(pgid, 10_000);
  return 'kill';
}

/** True when a process with this pid exists (on this host). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
