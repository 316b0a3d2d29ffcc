/**
 * Response shapes of runs and jobs, in one place so every endpoint shows them the same way.
 * Dates are ISO-8601 strings in UTC.
 */
import { Job, JobFile, Run } from '@qslam/db';
import type { Staleness } from '@qslam/steps';

export interface JobFileView {
  path: string;
  size: number | null;
  /** Inputs: the step and job that wrote the file (`upload` for the raw reads). */
  producer_step?: string | null;
  producer_job_id?: number | null;
}

export interface JobView {
  job_id: number;
  step_name: string;
  variant: string | null;
  status: string;
  started_at: string | null;
  completed_at: string | null;
  error_message: string | null;
  exit_code: number | null;
  pgid: number | null;
  log_file: string | null;
  /** Provenance: the exact files the job read and wrote (recorded when it ran). */
  inputs?: JobFileView[];
  outputs?: JobFileView[];
  /** Set on a step's latest completed job when an upstream step completed again after it. */
  stale?: { newer_step: string; newer_job_id: number };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A job's recorded input and output files. */
export function provenanceView(files: readonly JobFile[]): {
  inputs: JobFileView[];
  outputs: JobFileView[];
} {
  return {
    inputs: files
      .filter((f) => f.role === 'input')
      .map((f) => ({
        path: f.path,
        size: f.size,
        producer_step: f.producer_step,
        producer_job_id: f.producer_job_id,
      })),
    outputs: files.filter((f) => f.role === 'output').map((f) => ({ path: f.path, size: f.size })),
  };
}

/** Groups provenance rows by job. */
export function filesByJob(files: readonly JobFile[]): Map<number, JobFile[]> {
  const byJob = new Map<number, JobFile[]>();
  for (const f of files) byJob.set(f.job_id, [...(byJob.get(f.job_id) ?? []), f]);
  return byJob;
}

/** A job with its provenance and staleness (status history and results). */
export function jobWithFiles(
  job: Job,
  workspaceRoot: string,
  files: readonly JobFile[],
  stale: readonly Staleness[],
): JobView {
  const view: JobView = { ...jobView(job, workspaceRoot), ...provenanceView(files) };
  const s = stale.find((x) => x.job_id === job.id);
  if (s) view.stale = { newer_step: s.newer_step, newer_job_id: s.newer_job_id };
  return view;
}

export function jobView(job: Job, workspaceRoot?: string): JobView {
  const relLog =
    job.log_file && workspaceRoot && job.log_file.startsWith(workspaceRoot + '/')
      ? job.log_file.slice(workspaceRoot.length + 1)
      : job.log_file;
  return {
    job_id: job.id,
    step_name: job.step_name,
    variant: job.variant,
    status: job.status,
    started_at: iso(job.started_at),
    completed_at: iso(job.completed_at),
    error_message: job.error_message,
    exit_code: job.exit_code,
    pgid: job.pgid,
    log_file: relLog,
  };
}

export function runView(run: Run): Record<string, unknown> {
  return { ...run, created_at: iso(run.created_at), updated_at: iso(run.updated_at) };
}

/** The most recent pipeline step of the history, to read a run status like "completed" in context. */
export function lastStep(jobs: Job[]): string | null {
  const pipeline = jobs.filter((j) => j.step_name !== 'upload');
  return pipeline.length > 0 ? pipeline[pipeline.length - 1].step_name : null;
}
