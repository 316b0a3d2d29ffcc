/**
 * The only writer of `genomes.status` and `genome_jobs.status`.
 *
 * Each method is one write transaction (BEGIN IMMEDIATE, database.ts), so that two requests
 * racing for the same genome are serialised even across API processes: the first creates the
 * `installing` genome and its job, the second finds them and joins (one download for all the
 * runs that need a genome). A genome job's transition updates its genome in the same
 * transaction (genome-state.ts), so readers never see a completed install of a genome that is
 * not ready, or a ready genome without its files recorded.
 */
import { EntityManager, In } from 'typeorm';
import { ConflictError, NotFoundError } from '@qslam/common';
import { Database } from './database';
import { Genome, GenomeContig, GenomeEntity, GenomeJob, GenomeJobEntity } from './genome-entities';
import { decideInstall, genomeStatusOfJob, GenomeSource } from './genome-state';
import { ACTIVE_JOB_STATUSES, canTransition, JobStatus } from './state';

/** What a completed genome job found: recorded on the genome when it turns ready. */
export interface GenomeFacts {
  fasta: string | null;
  index_kind: 'bwa' | 'bwa-mem2';
  index_prefix: string;
  annotation: string | null;
  vector_contigs: string[];
  contigs: GenomeContig[];
  total_length: number;
  disk_bytes: number;
}

export interface GenomeJobPatch {
  pgid?: number | null;
  worker_id?: string | null;
  exit_code?: number | null;
  error_message?: string | null;
}

export interface InstallRequest {
  tar_url: string;
  sha256: string | null;
  requested_by_run: string | null;
}

export interface InstallOutcome {
  genome: Genome;
  /** The job to wait for; null when the genome was already ready. */
  job: GenomeJob | null;
  /** True when this request created the job (the caller enqueues it). */
  created: boolean;
}

/** An active job that uses a genome (a genome job, or a run's step job). */
export interface GenomeUser {
  kind: 'genome_job' | 'run_job';
  job_id: number;
  run_id: string | null;
  step: string;
  status: JobStatus;
}

type LogFileOf = (jobId: number) => string;

export class GenomeStateService {
  constructor(private readonly db: Database) {}

  /**
   * Creates a genome with its index build job (POST /genomes). A genome that exists and has
   * not failed is a 409; a failed one is replaced.
   */
  async createBuild(
    name: string,
    source: Extract<GenomeSource, 'upload' | 'demo'>,
    vectorContigs: string[],
    logFileOf: LogFileOf,
  ): Promise<{ genome: Genome; job: GenomeJob }> {
    return this.db.write(async (m) => {
      const existing = await m.findOne(GenomeEntity, { where: { name } });
      if (existing && existing.status !== 'failed') {
        throw new ConflictError(
          `Genome ${name} already exists (${existing.status}). Delete it first ` +
            `(DELETE /genomes/${name}) or choose another name.`,
          { genome: name, status: existing.status },
        );
      }
      await this.resetGenome(m, name, existing !== null, {
        source,
        tar_url: null,
        sha256: null,
        vector_contigs: vectorContigs,
      });
      const job = await this.insertJob(m, name, { kind: 'build' }, logFileOf);
      return { genome: await m.findOneOrFail(GenomeEntity, { where: { name } }), job };
    });
  }

  /**
   * Installs a genome from a prebuilt index tarball, or joins the install in progress.
   * `explicit` (POST /genomes/{name}/install) refuses a genome that is ready or installing
   * with 409; a step start (a run's genome_tar_url) joins an installing genome instead.
   */
  async requestInstall(
    name: string,
    request: InstallRequest,
    logFileOf: LogFileOf,
    explicit: boolean,
  ): Promise<InstallOutcome> {
    return this.db.write(async (m) => {
      const existing = await m.findOne(GenomeEntity, { where: { name } });
      const decision = decideInstall(existing?.status ?? null);
      if (existing && (decision === 'ready' || decision === 'join')) {
        const active = await this.activeJobOf(m, name);
        if (explicit) {
          throw new ConflictError(
            decision === 'ready'
              ? `Genome ${name} is already installed. Delete it first (DELETE /genomes/${name}).`
              : `Genome ${name} is already being installed by genome job ${active?.id}.`,
            { genome: name, status: existing.status, genome_job_id: active?.id ?? null },
          );
        }
        return { genome: existing, job: active, created: false };
      }
      await this.resetGenome(m, name, existing !== null, {
        source: 'tarball',
        tar_url: request.tar_url,
        sha256: request.sha256,
        vector_contigs: [],
      });
      const job = await this.insertJob(m, name, { kind: 'install', ...request }, logFileOf);
      return {
        genome: await m.findOneOrFail(GenomeEntity, { where: { name } }),
        job,
        created: true,
      };
    });
  }

  /**
   * Moves a genome job along the state table; its genome follows in the same transaction
   * (`facts` are recorded when it completes, the error when it fails).
   */
  async transitionJob(
    jobId: number,
    to: JobStatus,
    patch: GenomeJobPatch = {},
    facts?: GenomeFacts,
  ): Promise<{ changed: boolean; job: GenomeJob }> {
    return this.db.write(async (m) => {
      const job = await m.findOne(GenomeJobEntity, { where: { id: jobId } });
      if (!job) throw new NotFoundError(`Genome job ${jobId} not found`, { genome_job_id: jobId });
      if (!canTransition(job.status, to)) return { changed: false, job };
      if (to === 'completed' && !facts) {
        throw new Error(`genome job ${jobId} cannot complete without the genome's files`);
      }
      const now = new Date();
      const times = to === 'running' ? { started_at: now } : { completed_at: now };
      await m.update(GenomeJobEntity, { id: jobId }, { status: to, ...patch, ...times });
      const status = genomeStatusOfJob(to);
      if (status === 'ready') {
        await m.update(
          GenomeEntity,
          { name: job.genome },
          { ...facts, status, error: null, updated_at: now },
        );
      } else if (status === 'failed') {
        await m.update(
          GenomeEntity,
          { name: job.genome },
          { status, error: patch.error_message ?? `genome job ${jobId} ${to}`, updated_at: now },
        );
      }
      return {
        changed: true,
        job: await m.findOneOrFail(GenomeJobEntity, { where: { id: jobId } }),
      };
    });
  }

  /** Records facts about a genome job that do not change its status (pgid, owner). */
  async annotateJob(jobId: number, patch: GenomeJobPatch): Promise<void> {
    await this.db.write((m) => m.update(GenomeJobEntity, { id: jobId }, patch));
  }

  /**
   * Deletes a genome, refusing (409, naming the job) while a genome job or a step job of a run
   * using the genome (`genomeSteps`) is queued or running. `removeFiles` runs inside the
   * transaction (it should move the directory aside): if it fails, the genome stays.
   */
  async delete(
    name: string,
    genomeSteps: readonly string[],
    removeFiles: () => Promise<void>,
  ): Promise<void> {
    await this.db.write(async (m) => {
      if (!(await m.findOne(GenomeEntity, { where: { name } }))) {
        throw new NotFoundError(`Genome ${name} not found`, { genome: name });
      }
      const users = await this.usersOf(m, name, genomeSteps);
      if (users.length > 0) {
        const u = users[0];
        const what =
          u.kind === 'genome_job'
            ? `genome job ${u.job_id} (${u.step}) is ${u.status}`
            : `job ${u.job_id} (${u.step}) of run ${u.run_id} is ${u.status}`;
        throw new ConflictError(
          `Genome ${name} is in use: ${what}. Wait for it to end or kill it, then delete again.`,
          { genome: name, users },
        );
      }
      await removeFiles();
      await m.delete(GenomeJobEntity, { genome: name });
      await m.delete(GenomeEntity, { name });
    });
  }

  /** Active jobs using a genome: its own jobs, then the genome steps of runs set to it. */
  async usersOf(
    m: EntityManager,
    name: string,
    genomeSteps: readonly string[],
  ): Promise<GenomeUser[]> {
    const own = await m.find(GenomeJobEntity, {
      where: { genome: name, status: In([...ACTIVE_JOB_STATUSES]) },
      order: { id: 'ASC' },
    });
    const users: GenomeUser[] = own.map((j) => ({
      kind: 'genome_job',
      job_id: j.id,
      run_id: j.requested_by_run,
      step: j.kind,
      status: j.status,
    }));
    if (genomeSteps.length > 0) {
      const marks = (n: number) => new Array(n).fill('?').join(', ');
      const rows = (await m.query(
        `SELECT jobs.id AS id, jobs.run_id AS run_id, jobs.step_name AS step, jobs.status AS status
           FROM jobs JOIN runs ON runs.id = jobs.run_id
          WHERE runs.genome = ? AND jobs.status IN (${marks(ACTIVE_JOB_STATUSES.length)})
            AND jobs.step_name IN (${marks(genomeSteps.length)})
          ORDER BY jobs.id`,
        [name, ...ACTIVE_JOB_STATUSES, ...genomeSteps],
      )) as Array<{ id: number; run_id: string; step: string; status: JobStatus }>;
      for (const r of rows) {
        users.push({
          kind: 'run_job',
          job_id: r.id,
          run_id: r.run_id,
          step: r.step,
          status: r.status,
        });
      }
    }
    return users;
  }

  private async activeJobOf(m: EntityManager, name: string): Promise<GenomeJob | null> {
    return m.findOne(GenomeJobEntity, {
      where: { genome: name, status: In([...ACTIVE_JOB_STATUSES]) },
      order: { id: 'DESC' },
    });
  }

  private async resetGenome(
    m: EntityManager,
    name: string,
    exists: boolean,
    fields: Pick<Genome, 'source' | 'tar_url' | 'sha256' | 'vector_contigs'>,
  ): Promise<void> {
    const now = new Date();
    const cleared = {
      status: 'installing' as const,
      fasta: null,
      index_kind: null,
      index_prefix: null,
      annotation: null,
      contigs: null,
      total_length: null,
      disk_bytes: null,
      error: null,
      updated_at: now,
    };
    if (exists) await m.update(GenomeEntity, { name }, { ...fields, ...cleared });
    else await m.insert(GenomeEntity, { name, ...fields, ...cleared, created_at: now });
  }

  private async insertJob(
    m: EntityManager,
    genome: string,
    fields: Partial<Pick<GenomeJob, 'kind' | 'tar_url' | 'sha256' | 'requested_by_run'>>,
    logFileOf: LogFileOf,
  ): Promise<GenomeJob> {
    const inserted = await m.insert(GenomeJobEntity, { genome, status: 'pending', ...fields });
    const id = Number(inserted.identifiers[0].id);
    await m.update(GenomeJobEntity, { id }, { log_file: logFileOf(id) });
    return m.findOneOrFail(GenomeJobEntity, { where: { id } });
  }
}
