/** Read queries on `jobs`. Every write is a state change and lives in RunStateService. */
import { In } from 'typeorm';
import { NotFoundError } from '@qslam/common';
import { Database } from './database';
import { Job, JobEntity, JobFile, JobFileEntity } from './entities';
import { ACTIVE_JOB_STATUSES, JobStatus, UPLOAD_STEP } from './state';

export class JobsRepository {
  constructor(private readonly db: Database) {}

  async find(id: number): Promise<Job | null> {
    return this.db.reader.findOne(JobEntity, { where: { id } });
  }

  async get(id: number): Promise<Job> {
    const job = await this.find(id);
    if (!job) throw new NotFoundError(`Job ${id} not found`, { job_id: id });
    return job;
  }

  /** Every attempt of every step of a run, oldest first (the audit trail). */
  async history(runId: string): Promise<Job[]> {
    return this.db.reader.find(JobEntity, { where: { run_id: runId }, order: { id: 'ASC' } });
  }

  async latestForStep(runId: string, step: string): Promise<Job | null> {
    return this.db.reader.findOne(JobEntity, {
      where: { run_id: runId, step_name: step },
      order: { id: 'DESC' },
    });
  }

  async latestCompleted(runId: string, step: string): Promise<Job | null> {
    return this.db.reader.findOne(JobEntity, {
      where: { run_id: runId, step_name: step, status: 'completed' },
      order: { id: 'DESC' },
    });
  }

  async activeForRun(runId: string): Promise<Job | null> {
    return this.db.reader.findOne(JobEntity, {
      where: { run_id: runId, status: In([...ACTIVE_JOB_STATUSES]) },
      order: { id: 'DESC' },
    });
  }

  /** Recorded input and output files of the given jobs, in recording order. */
  async files(jobIds: readonly number[]): Promise<JobFile[]> {
    if (jobIds.length === 0) return [];
    return this.db.reader.find(JobFileEntity, {
      where: { job_id: In([...jobIds]) },
      order: { id: 'ASC' },
    });
  }

  async withStatus(statuses: readonly JobStatus[]): Promise<Job[]> {
    return this.db.reader.find(JobEntity, {
      where: { status: In([...statuses]) },
      order: { id: 'ASC' },
    });
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const rows: { status: JobStatus; n: number }[] = await this.db.reader.query(
      `SELECT status, COUNT(*) AS n FROM jobs WHERE step_name != ? GROUP BY status`,
      [UPLOAD_STEP],
    );
    const counts = { pending: 0, running: 0, completed: 0, failed: 0, killed: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }
}
