/**
 * What a job runs, as data. A job is a list of command lines run one after another; a command
 * line is one process or a pipeline of processes (stdout of one into stdin of the next), each
 * given as an argument array — never a shell string, so nothing in a run's data can be
 * interpreted by a shell. Step definitions build these with pure functions; the job wrapper
 * (job-wrapper.ts) is the only code that turns them into processes.
 */

export interface ProcessStage {
  argv: string[];
  /** Write this stage's stdout to a file (instead of the next stage or the log). */
  stdoutFile?: string;
}

/** One process, or a pipeline of several. */
export type CommandLine = ProcessStage[];

export interface JobScript {
  jobId: number;
  cwd: string;
  commands: CommandLine[];
  logFile: string;
  rcFile: string;
  pidFile: string;
  heartbeatMs: number;
  env?: Record<string, string>;
  /** Output folders (workspace-relative) the job engine moves into place on success. */
  outputs?: string[];
}

/** The contents of a job's pid file: who runs it, where, since when. */
export interface PidRecord {
  pid: number;
  host: string;
  startedAt: string;
  script: string;
}

export function command(...argv: string[]): CommandLine {
  return [{ argv }];
}

export function pipeline(...stages: ProcessStage[]): CommandLine {
  return stages;
}

/** Human-readable rendering for logs only (quoted like a shell would need, never executed). */
export function describeCommandLine(line: CommandLine): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return line
    .map((stage) => {
      const text = stage.argv.map(quote).join(' ');
      return stage.stdoutFile ? `${text} > ${quote(stage.stdoutFile)}` : text;
    })
    .join(' | ');
}

/** Exit status of a process the way a shell reports it: the code, or 128 + signal number. */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const signals: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGSEGV: 11,
    SIGPIPE: 13,
    SIGTERM: 15,
  };
  return 128 + (signal ? (signals[signal] ?? 0) : 0);
}
