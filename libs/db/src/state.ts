/**
 * The one written state table for jobs and runs (the README reproduces it).
 *
 * A job moves only along JOB_TRANSITIONS. A run's status is never set directly: it is derived
 * from its jobs by `deriveRunState`, so it cannot contradict them (the lab's complaint was a run
 * still saying `running` after its job had finished). The derivation looks at the run's latest
 * pipeline job (the upload is recorded as a job too, but only tells whether data exists).
 */

export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'killed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const RUN_STATUSES = [
  'pending',
  'upload_completed',
  'queued',
  'running',
  'completed',
  'failed',
  'killed',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Allowed job transitions. `pending → failed` covers a job that cannot start (input vanished). */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  pending: ['running', 'killed', 'failed'],
  running: ['completed', 'failed', 'killed'],
  completed: [],
  failed: [],
  killed: [],
};

export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['pending', 'running'];
export const UPLOAD_STEP = 'upload';

export function isActive(status: JobStatus): boolean {
  return ACTIVE_JOB_STATUSES.includes(status);
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return JOB_TRANSITIONS[from].includes(to);
}

export interface JobLike {
  step_name: string;
  status: JobStatus;
}

const RUN_STATUS_OF_JOB: Readonly<Record<JobStatus, RunStatus>> = {
  pending: 'queued',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  killed: 'killed',
};

/**
 * Run status and current step from the run's jobs, oldest first.
 *
 * | latest pipeline job | run status         | current_step |
 * |---------------------|--------------------|--------------|
 * | none, data uploaded | `upload_completed` | null         |
 * | none, no data       | `pending`          | null         |
 * | pending             | `queued`           | its step     |
 * | running             | `running`          | its step     |
 * | completed           | `completed`        | null         |
 * | failed              | `failed`           | null         |
 * | killed              | `killed`           | null         |
 */
export function deriveRunState(jobs: readonly JobLike[]): {
  status: RunStatus;
  current_step: string | null;
} {
  const pipeline = jobs.filter((j) => j.step_name !== UPLOAD_STEP);
  const latest = pipeline[pipeline.length - 1];
  if (!latest) {
    const uploaded = jobs.some((j) => j.step_name === UPLOAD_STEP && j.status === 'completed');
    return { status: uploaded ? 'upload_completed' : 'pending', current_step: null };
  }
  return {
    status: RUN_STATUS_OF_JOB[latest.status],
    current_step: isActive(latest.status) ? latest.step_name : null,
  };
}
