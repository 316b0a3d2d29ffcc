/**
 * Response shapes of runs and jobs, in one place so every endpoint shows them the same way.
 * Dates are ISO-8601 strings in UTC.
 */
import { Job, Run } from '@qslam/db';

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
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

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
