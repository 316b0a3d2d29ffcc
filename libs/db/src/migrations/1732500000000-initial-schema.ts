/**
 * The spec's schema, verbatim: `runs` with one explicit column per configuration field (no
 * JSON) and `jobs` with the attempt history. Frozen: later changes are new migrations.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1732500000000 implements MigrationInterface {
  name = 'InitialSchema1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    name TEXT,
    description TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    current_step TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    created_by TEXT,
    r1_seq TEXT,
    r1_error_rate REAL DEFAULT 0.3,
    r1_trim_leading_trailing INTEGER DEFAULT 0,
    r1_anchored BOOLEAN DEFAULT FALSE,
    r1_min_overlap INTEGER DEFAULT 5,
    r1_pair_filter TEXT DEFAULT 'both',
    r1_minimum_length_of_read INTEGER DEFAULT 30,
    r2_seq TEXT,
    r2_error_rate REAL DEFAULT 0.1,
    r2_trim_leading_trailing INTEGER DEFAULT 0,
    r2_anchored BOOLEAN DEFAULT FALSE,
    r2_min_overlap INTEGER DEFAULT 10,
    r2_pair_filter TEXT DEFAULT 'both',
    r2_minimum_length_of_read INTEGER DEFAULT 30,
    genome TEXT,
    genome_tar_url TEXT,
    promoter_left INTEGER DEFAULT 5000,
    promoter_right INTEGER DEFAULT 2000,
    enhancer_left INTEGER DEFAULT 50000,
    qc_stage TEXT DEFAULT 'before'
)`);
    await q.query(`CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    step_name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    pgid INTEGER,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    log_file TEXT,
    error_message TEXT,
    FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
)`);
    await q.query(`CREATE INDEX idx_jobs_run ON jobs(run_id, id)`);
    await q.query(`CREATE INDEX idx_jobs_status ON jobs(status)`);
    await q.query(`CREATE INDEX idx_runs_created ON runs(created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE jobs`);
    await q.query(`DROP TABLE runs`);
  }
}
