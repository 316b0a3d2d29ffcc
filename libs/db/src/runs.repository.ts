/**
 * Every query on `runs`. Writes go through Database.write; status columns are written only by
 * RunStateService (run-state.service.ts).
 */
import { Brackets } from 'typeorm';
import { NotFoundError } from '@qslam/common';
import { Database } from './database';
import { JobEntity, Run, RunEntity } from './entities';

export interface RunListFilter {
  status?: string;
  genome?: string;
  created_by?: string;
  q?: string;
  limit: number;
  offset: number;
}

export class RunsRepository {
  constructor(private readonly db: Database) {}

  async find(id: string): Promise<Run | null> {
    return this.db.reader.findOne(RunEntity, { where: { id } });
  }

  async get(id: string): Promise<Run> {
    const run = await this.find(id);
    if (!run) throw new NotFoundError(`Run ${id} not found`, { run_id: id });
    return run;
  }

  async list(filter: RunListFilter): Promise<{ runs: Run[]; total: number }> {
    const query = this.db.reader.createQueryBuilder(RunEntity, 'run');
    if (filter.status) query.andWhere('run.status = :status', { status: filter.status });
    if (filter.genome) query.andWhere('run.genome = :genome', { genome: filter.genome });
    if (filter.created_by) query.andWhere('run.created_by = :by', { by: filter.created_by });
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        new Brackets((w) =>
          w
            .where(`run.name LIKE :like ESCAPE '\\'`, { like })
            .orWhere(`run.description LIKE :like ESCAPE '\\'`, { like }),
        ),
      );
    }
    const [runs, total] = await query
      .orderBy('run.created_at', 'DESC')
      .addOrderBy('run.id', 'ASC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { runs, total };
  }

  async count(): Promise<number> {
    return this.db.reader.count(RunEntity);
  }

  async allIds(): Promise<string[]> {
    const rows = await this.db.reader.find(RunEntity, { select: { id: true } });
    return rows.map((r) => r.id);
  }

  async delete(id: string): Promise<void> {
    // The run, its jobs and their files go together (SQLite does not enforce the foreign keys).
    await this.db.write(async (m) => {
      await m.query(
        `DELETE FROM job_files WHERE job_id IN (SELECT id FROM jobs WHERE run_id = ?)`,
        [id],
      );
      await m.delete(JobEntity, { run_id: id });
      await m.delete(RunEntity, { id });
    });
  }
}
