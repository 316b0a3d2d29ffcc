/**
 * Preprocessing chain (umi → cutadapt → fastp):
 * - run parameters of the umi and fastp steps and `r1_discard_untrimmed`;
 * - `job_files`: the exact input and output files of every job (provenance), one row per file,
 *   so that "which reads did this mapping use?" is a query, not a guess.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

const RUN_COLUMNS: ReadonlyArray<[string, string]> = [
  ['umi_read', `TEXT DEFAULT 'none'`],
  ['umi_pattern', `TEXT DEFAULT 'NNNNNNNNNN'`],
  ['r1_discard_untrimmed', 'BOOLEAN DEFAULT TRUE'],
  ['fastp_qualified_quality', 'INTEGER DEFAULT 15'],
  ['fastp_length_required', 'INTEGER DEFAULT 30'],
  ['fastp_cut_tail', 'BOOLEAN DEFAULT TRUE'],
];

export class Preprocessing1732500000002 implements MigrationInterface {
  name = 'Preprocessing1732500000002';

  async up(q: QueryRunner): Promise<void> {
    for (const [column, type] of RUN_COLUMNS) {
      await q.query(`ALTER TABLE runs ADD COLUMN ${column} ${type}`);
    }
    await q.query(`CREATE TABLE job_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('input', 'output')),
    path TEXT NOT NULL,               -- relative to the run's workspace
    size INTEGER,                     -- bytes when recorded
    producer_job_id INTEGER,          -- inputs: the job that wrote the file (the upload job for raw reads)
    producer_step TEXT                -- inputs: that job's step
)`);
    await q.query(`CREATE INDEX idx_job_files_job ON job_files(job_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_files`);
    for (const [column] of RUN_COLUMNS) await q.query(`ALTER TABLE runs DROP COLUMN ${column}`);
  }
}
