/**
 * Bookkeeping the job engine needs beyond the spec's columns:
 * - `variant`: the option a step was started with (the qc stage), so history shows it;
 * - `worker_id`: which worker process owns the running tool (`host:pid`), for adoption;
 * - `exit_code`: the tool's exit status as read from the job's `.rc` file;
 * - `kill_requested_at`: a kill request that survives a worker restart.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobEngineColumns1732500000001 implements MigrationInterface {
  name = 'JobEngineColumns1732500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs ADD COLUMN variant TEXT`);
    await q.query(`ALTER TABLE jobs ADD COLUMN worker_id TEXT`);
    await q.query(`ALTER TABLE jobs ADD COLUMN exit_code INTEGER`);
    await q.query(`ALTER TABLE jobs ADD COLUMN kill_requested_at TIMESTAMP`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of ['variant', 'worker_id', 'exit_code', 'kill_requested_at']) {
      await q.query(`ALTER TABLE jobs DROP COLUMN ${column}`);
    }
  }
}
