/** Read queries on `genomes` and `genome_jobs`. Every write lives in GenomeStateService. */
import { In } from 'typeorm';
import { NotFoundError } from '@qslam/common';
import { Database } from './database';
import { Genome, GenomeEntity, GenomeJob, GenomeJobEntity } from './genome-entities';
import { ACTIVE_JOB_STATUSES, JobStatus } from './state';

export class GenomesRepository {
  constructor(private readonly db: Database) {}

  async find(name: string): Promise<Genome | null> {
    return this.db.reader.findOne(GenomeEntity, { where: { name } });
  }

  async get(name: string): Promise<Genome> {
    const genome = await this.find(name);
    if (!genome) {
      throw new NotFoundError(
        `Genome ${name} is not installed. Add it with POST /genomes (FASTA + annotation) or ` +
          `POST /genomes/${name}/install (prebuilt index tarball).`,
        { genome: name },
      );
    }
    return genome;
  }

  async list(): Promise<Genome[]> {
    return this.db.reader.find(GenomeEntity, { order: { name: 'ASC' } });
  }

  async findJob(id: number): Promise<GenomeJob | null> {
    return this.db.reader.findOne(GenomeJobEntity, { where: { id } });
  }

  async getJob(id: number): Promise<GenomeJob> {
    const job = await this.findJob(id);
    if (!job) throw new NotFoundError(`Genome job ${id} not found`, { genome_job_id: id });
    return job;
  }

  /** Every build and install of a genome, oldest first. */
  async jobs(name: string): Promise<GenomeJob[]> {
    return this.db.reader.find(GenomeJobEntity, { where: { genome: name }, order: { id: 'ASC' } });
  }

  async latestJob(name: string): Promise<GenomeJob | null> {
    return this.db.reader.findOne(GenomeJobEntity, {
      where: { genome: name },
      order: { id: 'DESC' },
    });
  }

  async jobsWithStatus(statuses: readonly JobStatus[]): Promise<GenomeJob[]> {
    return this.db.reader.find(GenomeJobEntity, {
      where: { status: In([...statuses]) },
      order: { id: 'ASC' },
    });
  }

  async activeJob(name: string): Promise<GenomeJob | null> {
    return this.db.reader.findOne(GenomeJobEntity, {
      where: { genome: name, status: In([...ACTIVE_JOB_STATUSES]) },
      order: { id: 'DESC' },
    });
  }
}
