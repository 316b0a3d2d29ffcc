/**
 * The job wrapper: a tiny detached Node process that runs one job's command lines.
 *
 * It is what makes a job's outcome independent of the worker (as Cromwell does with its `rc`
 * files): the worker starts it in a new session, so it leads its own process group (the job's
 * `pgid`) and survives a worker crash. It writes a pid file (refreshed as a heartbeat), streams
 * every tool's stdout/stderr straight into the job log (file descriptors, no copying through
 * Node), and when the last command ends writes the exit status to the `.rc` file atomically.
 * A pipeline fails when any of its stages fails (like `set -o pipefail`).
 *
 * Usage: node job-wrapper.js <script.json>
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { CommandLine, describeCommandLine, exitStatusOf, JobScript, PidRecord } from './job-script';

function writeAtomic(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

function log(fd: number, message: string): void {
  fs.writeSync(fd, `[qslam ${new Date().toISOString()}] ${message}\n`);
}

/** The tools of the command line in progress (see the signal handlers in main). */
const running = new Set<ChildProcess>();

function waitExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.on('error', (err) => {
      child.removeAllListeners('exit');
      resolve(err && (err as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126);
    });
    child.on('exit', (code, signal) => resolve(exitStatusOf(code, signal)));
  });
}

async function runCommandLine(
  script: JobScript,
  line: CommandLine,
  logFd: number,
): Promise<number> {
  const children: ChildProcess[] = [];
  const opened: number[] = [];
  let previous: ChildProcess | null = null;
  for (const [i, stage] of line.entries()) {
    const last = i === line.length - 1;
    let stdout: 'pipe' | number = 'pipe';
    if (stage.stdoutFile) opened.push((stdout = fs.openSync(stage.stdoutFile, 'w')));
    else if (last) stdout = logFd;
    const stdin = previous?.stdout ?? 'ignore';
    const child: ChildProcess = spawn(stage.argv[0], stage.argv.slice(1), {
      cwd: script.cwd,
      env: { ...process.env, ...script.env },
      stdio: [stdin, stdout, logFd],
    });
    children.push(child);
    running.add(child);
    previous = child;
  }
  const codes = await Promise.all(children.map(waitExit));
  children.forEach((child) => running.delete(child));
  opened.forEach((fd) => fs.closeSync(fd));
  return codes.find((c) => c !== 0) ?? 0;
}

async function main(scriptPath: string): Promise<void> {
  let terminated = false;
  // The worker signals the whole group; remember it and let the children's exit decide the rc.
  // Installed before the pid file exists, so a job whose pid file is there cannot die of a
  // SIGTERM without writing its rc. The signal is passed on to the running tools too: one
  // spawned just after the group was signalled (the handler runs on the next tick) missed it.
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(sig, () => {
      terminated = true;
      for (const child of running) child.kill(sig);
    });
  }
  const script = JSON.parse(fs.readFileSync(scriptPath, 'utf8')) as JobScript;
  const logFd = fs.openSync(script.logFile, 'a');
  const pid: PidRecord = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    script: scriptPath,
  };
  writeAtomic(script.pidFile, JSON.stringify(pid));
  const beat = setInterval(() => {
    const now = new Date();
    fs.utimes(script.pidFile, now, now, () => undefined);
  }, script.heartbeatMs);
  let rc = 0;
  for (const line of script.commands) {
    // A kill that arrives between two commands (or before the first) must not start the next.
    if (terminated) break;
    log(logFd, `$ ${describeCommandLine(line)}`);
    rc = await runCommandLine(script, line, logFd);
    if (rc !== 0 || terminated) break;
  }
  if (terminated && rc === 0) rc = 143;
  log(logFd, `exit status ${rc}`);
  clearInterval(beat);
  writeAtomic(script.rcFile, `${rc}\n`);
  fs.closeSync(logFd);
}

if (require.main === module) {
  main(process.argv[2]).catch((err: unknown) => {
    process.stderr.write(`job wrapper failed: ${String(err)}\n`);
    process.exit(70);
  });
}
