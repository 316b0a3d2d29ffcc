/**
 * The layout of a run's workspace `runs/{run_id}/` and the only way to turn a client-supplied
 * path into a file system path.
 *
 * `resolveInside` resolves symlinks before comparing, so neither `../` nor a link pointing out of
 * the workspace can reach another run or the host. Run ids are UUIDs, checked before any path
 * is built from them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ForbiddenPathError, NotFoundError } from '@qslam/common';

export const RUN_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Top-level folders of a workspace: the spec's directory structure plus `results/`. */
export const WORKSPACE_DIRS = [
  'rawdata',
  'cutPrimer',
  'bwa',
  'fastqc',
  'bam2bed',
  'bed2peak',
  'reference',
  'logs',
  // Ours: outputs of the umi, fastp and readlen steps, and the summary of each step's latest
  // completed job (`results/{step}.json`).
  'umi',
  'fastp',
  'readlen',
  'results',
] as const;

/** Kept by `clean`: the uploaded data and the logs of the audit trail. */
export const PRESERVED_BY_CLEAN = ['rawdata', 'logs'];

export interface JobFiles {
  log: string;
  rc: string;
  pid: string;
  script: string;
}

export class RunWorkspace {
  readonly root: string;

  constructor(
    readonly runsDir: string,
    readonly runId: string,
  ) {
    if (!RUN_ID_PATTERN.test(runId)) throw new NotFoundError(`Run ${runId} not found`);
    this.root = path.join(runsDir, runId);
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  get rawR1(): string {
    return this.path('rawdata', 'R1.fastq.gz');
  }

  get rawR2(): string {
    return this.path('rawdata', 'R2.fastq.gz');
  }

  /** The job's log and, beside it, its exit-code, pid/heartbeat and script files. */
  jobFiles(step: string, jobId: number): JobFiles {
    const base = this.path('logs', `${step}.${jobId}`);
    return { log: `${base}.log`, rc: `${base}.rc`, pid: `${base}.pid`, script: `${base}.json` };
  }

  /** Private scratch space of one job; outputs are moved into place only on success. */
  stagingDir(jobId: number): string {
    return this.path('.staging', String(jobId));
  }

  resultsFile(step: string): string {
    return this.path('results', `${step}.json`);
  }

  relative(absolute: string): string {
    return path.relative(this.root, absolute);
  }
}

/** Resolves `relPath` inside `root`, refusing anything that leaves it (also through symlinks). */
export function resolveInside(root: string, relPath: string): string {
  if (relPath.includes('\0')) throw new ForbiddenPathError('Path contains a NUL byte');
  const realRoot = fs.realpathSync(root);
  const candidate = path.resolve(realRoot, relPath);
  const inside = (p: string) => p === realRoot || p.startsWith(realRoot + path.sep);
  if (!inside(candidate)) {
    throw new ForbiddenPathError(`Path ${relPath} leaves the run's workspace`, { path: relPath });
  }
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    throw new NotFoundError(`File ${relPath} not found in the run's workspace`, { path: relPath });
  }
  if (!inside(real)) {
    throw new ForbiddenPathError(`Path ${relPath} points outside the run's workspace`, {
      path: relPath,
    });
  }
  return real;
}
