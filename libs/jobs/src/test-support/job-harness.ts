/**
 * Helpers for the job engine's unit tests: real wrappers in a temporary directory, and the
 * process table read from /proc (what survives a kill is a fact about the host, not about our
 * bookkeeping).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandLine, JobScript } from '../job-script';
import { readExitCode } from '../job-launcher';

export interface TestJob {
  script: JobScript;
  scriptPath: string;
}

let nextJobId = 1;

/** A job script whose files live in `dir`, named after `name`. */
export function testJob(dir: string, name: string, commands: CommandLine[]): TestJob {
  const base = path.join(dir, name);
  return {
    script: {
      jobId: nextJobId++,
      cwd: dir,
      commands,
      logFile: `${base}.log`,
      rcFile: `${base}.rc`,
      pidFile: `${base}.pid`,
      heartbeatMs: 100,
    },
    scriptPath: `${base}.json`,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than null/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | null | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export function waitForExitCode(job: TestJob, timeoutMs?: number): Promise<number> {
  return waitFor(`rc of ${job.scriptPath}`, () => readExitCode(job.script.rcFile), timeoutMs);
}

export function readLog(job: TestJob): string {
  try {
    return fs.readFileSync(job.script.logFile, 'utf8');
  } catch {
    return '';
  }
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
  cmdline: string;
}

/** One process from /proc, or null when it is gone. */
export function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: parse after the last ')'.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // a zombie has no command line
    }
    return { pid, ppid: Number(ppid), pgrp: Number(pgrp), state, cmdline };
  } catch {
    return null;
  }
}

/** Every process of the host whose process group is `pgid`, zombies included. */
export function groupMembers(pgid: number): ProcInfo[] {
  const members: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = procInfo(Number(entry));
    if (info?.pgrp === pgid) members.push(info);
  }
  return members;
}
