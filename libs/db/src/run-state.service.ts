/**
 * The only writer of `runs.status`, `runs.current_step` and `jobs.status`.
 *
 * Each method is one write transaction that changes a job along the state table (state.ts) and
 * re-derives its run's status from the jobs in the same transaction, so readers never see a
 * run and its jobs disagree. Starting a job checks, inside the same transaction, that the run
 * has no other active job: two simultaneous starts cannot both succeed.
 */
import { EntityManager, In } from 'typeorm';
import { ConflictError, NotFoundError } from '@qslam/common';
import { RunParams } from '@qslam/params';
import { Database } from './database';
import { Job, JobEntity, JobFile, JobFileEntity, Run, RunEntity } from './entities';
import {
  ACTIVE_JOB_STATUSES,
  canTransition,
  deriveRunState,
  JobStatus,
  UPLOAD_STEP,
} from './state';

export interface NewRun {
  id: string;
  name: string | null;
  description: string | null;
  created_by: string | null;
  params: RunParams;
}

export interface JobPatch {
  pgid?: number | null;
  error_message?: string | null;
  worker_id?: string | null;
  exit_code?: number | null;
}

/** A file to record against a job with its transition (provenance). */
export type NewJobFile = Omit<JobFile, 'id' | 'job_id'>;

export interface TransitionResult {
  changed: boolean;
  job: Job;
}

export class RunStateService {
  constructor(private readonly db: Database) {}

  /** Inserts a run; with `uploadLog`, also its completed `upload` job (first history entry). */
  async createRun(
    run: NewRun,
    upload?: { logFile: string; startedAt: Date; files?: readonly NewJobFile[] },
  ): Promise<Run> {
    return this.db.write(async (m) => {
      await m.insert(RunEntity, {
        id: run.id,
        name: run.name,
        description: run.description,
        created_by: run.created_by,
        ...run.params,
      });
      if (upload) {
        const inserted = await m.insert(JobEntity, {
          run_id: run.id,
          step_name: UPLOAD_STEP,
          status: 'completed',
          started_at: upload.startedAt,
          completed_at: new Date(),
          log_file: upload.logFile,
          exit_code: 0,
        });
        const jobId = Number(inserted.identifiers[0].id);
        if (upload.files?.length) {
          await m.insert(
            JobFileEntity,
            upload.files.map((f) => ({ ...f, job_id: jobId })),
          );
        }
      }
      await this.refreshRun(m, run.id);
      return (await m.findOneOrFail(RunEntity, { where: { id: run.id } })) as Run;
    });
  }

  /**
   * Creates a pending job for a step, refusing when the run already has an active job.
   * `logFileOf` receives the new job id and returns the log path to record.
   */
  async createJob(
    runId: string,
    step: string,
    variant: string | null,
    logFileOf: (jobId: number) => string,
  ): Promise<Job> {
    return this.db.write(async (m) => {
      if (!(await m.findOne(RunEntity, { where: { id: runId } }))) {
        throw new NotFoundError(`Run ${runId} not found`, { run_id: runId });
      }
      const active = await m.findOne(JobEntity, {
        where: { run_id: runId, status: In([...ACTIVE_JOB_STATUSES]) },
      });
      if (active) {
        throw new ConflictError(
          `Run ${runId} already has job ${active.id} (${active.step_name}) ${active.status}; ` +
            `a run executes one step at a time. Wait for it or kill it (DELETE /runs/${runId}/kill).`,
          { job_id: active.id, step: active.step_name, status: active.status },
        );
      }
      const inserted = await m.insert(JobEntity, {
        run_id: runId,
        step_name: step,
        status: 'pending',
        variant,
      });
      const id = Number(inserted.identifiers[0].id);
      await m.update(JobEntity, { id }, { log_file: logFileOf(id) });
      await this.refreshRun(m, runId);
      return (await m.findOneOrFail(JobEntity, { where: { id } })) as Job;
    });
  }

  /**
   * Moves a job to `to` if the state table allows it; otherwise reports `changed: false`.
   * `files` (inputs when it starts running, outputs when it completes) are recorded in the
   * same transaction, so a job's provenance is never missing for the state it is in.
   */
  async transition(
    jobId: number,
    to: JobStatus,
    patch: JobPatch = {},
    files: readonly NewJobFile[] = [],
  ): Promise<TransitionResult> {
    return this.db.write(async (m) => {
      const job = await m.findOne(JobEntity, { where: { id: jobId } });
      if (!job) throw new NotFoundError(`Job ${jobId} not found`, { job_id: jobId });
      if (!canTransition(job.status, to)) return { changed: false, job };
      // started_at: when the tool started (null while queued); completed_at: when it ended.
      const now = new Date();
      const times = to === 'running' ? { started_at: now } : { completed_at: now };
      await m.update(JobEntity, { id: jobId }, { status: to, ...patch, ...times });
      if (files.length > 0) {
        await m.insert(
          JobFileEntity,
          files.map((f) => ({ ...f, job_id: jobId })),
        );
      }
      await this.refreshRun(m, job.run_id);
      return { changed: true, job: await m.findOneOrFail(JobEntity, { where: { id: jobId } }) };
    });
  }

  /** Records facts about a job that do not change its status (pgid, owner). */
  async annotate(jobId: number, patch: JobPatch): Promise<void> {
    await this.db.write((m) => m.update(JobEntity, { id: jobId }, patch));
  }

  async requestKill(jobId: number): Promise<void> {
    await this.db.write((m) =>
      m.update(JobEntity, { id: jobId }, { kill_requested_at: new Date() }),
    );
  }

  private async refreshRun(m: EntityManager, runId: string): Promise<void> {
    const jobs = await m.find(JobEntity, {
      where: { run_id: runId },
      order: { id: 'ASC' },
      select: { step_name: true, status: true },
    });
    const state = deriveRunState(jobs);
    await m.update(RunEntity, { id: runId }, { ...state, updated_at: new Date() });
  }
}
