/**
 * Schema drift: the migrated database must hold the spec's `runs` and `jobs` tables column for
 * column, one `runs` column per registry parameter with the registry's type and default, and
 * every column the TypeORM entities map.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { columnDefaultOf, ParamDef, PARAMS, sqlTypeOf } from '@qslam/params';
import { Database, openDatabase } from './database';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

/** [name, type, NOT NULL, default as SQLite reports it, primary key] from the spec's SQL. */
type SpecColumn = [string, string, boolean, string | null, boolean];

const SPEC_RUNS: SpecColumn[] = [
  ['id', 'TEXT', false, null, true],
  ['name', 'TEXT', false, null, false],
  ['description', 'TEXT', false, null, false],
  ['status', 'TEXT', true, "'pending'", false],
  ['current_step', 'TEXT', false, null, false],
  ['created_at', 'TIMESTAMP', false, 'CURRENT_TIMESTAMP', false],
  ['updated_at', 'TIMESTAMP', false, 'CURRENT_TIMESTAMP', false],
  ['created_by', 'TEXT', false, null, false],
  ['r1_seq', 'TEXT', false, null, false],
  ['r1_error_rate', 'REAL', false, '0.3', false],
  ['r1_trim_leading_trailing', 'INTEGER', false, '0', false],
  ['r1_anchored', 'BOOLEAN', false, 'FALSE', false],
  ['r1_min_overlap', 'INTEGER', false, '5', false],
  ['r1_pair_filter', 'TEXT', false, "'both'", false],
  ['r1_minimum_length_of_read', 'INTEGER', false, '30', false],
  ['r2_seq', 'TEXT', false, null, false],
  ['r2_error_rate', 'REAL', false, '0.1', false],
  ['r2_trim_leading_trailing', 'INTEGER', false, '0', false],
  ['r2_anchored', 'BOOLEAN', false, 'FALSE', false],
  ['r2_min_overlap', 'INTEGER', false, '10', false],
  ['r2_pair_filter', 'TEXT', false, "'both'", false],
  ['r2_minimum_length_of_read', 'INTEGER', false, '30', false],
  ['genome', 'TEXT', false, null, false],
  ['genome_tar_url', 'TEXT', false, null, false],
  ['promoter_left', 'INTEGER', false, '5000', false],
  ['promoter_right', 'INTEGER', false, '2000', false],
  ['enhancer_left', 'INTEGER', false, '50000', false],
  ['qc_stage', 'TEXT', false, "'before'", false],
];

const SPEC_JOBS: SpecColumn[] = [
  ['id', 'INTEGER', false, null, true],
  ['run_id', 'TEXT', true, null, false],
  ['step_name', 'TEXT', true, null, false],
  ['status', 'TEXT', true, "'pending'", false],
  ['pgid', 'INTEGER', false, null, false],
  ['started_at', 'TIMESTAMP', false, null, false],
  ['completed_at', 'TIMESTAMP', false, null, false],
  ['log_file', 'TEXT', false, null, false],
  ['error_message', 'TEXT', false, null, false],
];

/** A registry default written the way SQLite reports a column default. */
function sqlLiteral(value: string | number | boolean | null): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

describe('database schema', () => {
  let dir: string;
  let db: Database;
  const columns = async (table: string) =>
    (await db.reader.query(`PRAGMA table_info(${table})`)) as ColumnInfo[];
  const asSpec = (c: ColumnInfo): SpecColumn => [
    c.name,
    c.type,
    c.notnull === 1,
    c.dflt_value,
    c.pk === 1,
  ];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-schema-'));
    db = await openDatabase(path.join(dir, 'nested', 'qslam.db'));
  });

  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies every migration, in order, once', async () => {
    const rows = (await db.reader.query(
      'SELECT name FROM typeorm_migrations ORDER BY id',
    )) as Array<{ name: string }>;
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(await db.migrate()).toEqual([]);
  });

  it('runs in WAL mode with foreign keys enforced', async () => {
    expect(await db.reader.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.reader.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it('holds every column of the spec runs table, as the spec declares it', async () => {
    const actual = new Map((await columns('runs')).map((c) => [c.name, asSpec(c)]));
    for (const spec of SPEC_RUNS) expect(actual.get(spec[0])).toEqual(spec);
  });

  it('holds every column of the spec jobs table plus the job engine columns', async () => {
    const actual = (await columns('jobs')).map(asSpec);
    expect(actual.slice(0, SPEC_JOBS.length)).toEqual(SPEC_JOBS);
    expect(actual.slice(SPEC_JOBS.length)).toEqual([
      ['variant', 'TEXT', false, null, false],
      ['worker_id', 'TEXT', false, null, false],
      ['exit_code', 'INTEGER', false, null, false],
      ['kill_requested_at', 'TIMESTAMP', false, null, false],
    ]);
  });

  it('has one runs column per registry parameter with its type and default', async () => {
    const actual = new Map((await columns('runs')).map((c) => [c.name, c]));
    for (const def of PARAMS as readonly ParamDef[]) {
      const col = actual.get(def.name);
      expect([def.name, col?.type, col?.dflt_value, col?.notnull]).toEqual([
        def.name,
        sqlTypeOf(def),
        sqlLiteral(columnDefaultOf(def)),
        0,
      ]);
    }
    // and nothing else: descriptive spec columns + parameters
    const descriptive = SPEC_RUNS.filter(([n]) => !PARAMS.some((p) => p.name === n));
    expect(actual.size).toBe(descriptive.length + PARAMS.length);
  });

  it('maps every entity column to an existing column of its table', async () => {
    for (const entity of ENTITIES) {
      const meta = db.dataSource.getMetadata(entity);
      const names = (await columns(meta.tableName)).map((c) => c.name).sort();
      expect([meta.tableName, meta.columns.map((c) => c.databaseName).sort()]).toEqual([
        meta.tableName,
        names,
      ]);
    }
  });

  it('cascades the deletion of a run to its jobs and their files', async () => {
    await db.write(async (m) => {
      await m.query(`INSERT INTO runs (id) VALUES ('r-cascade')`);
      await m.query(`INSERT INTO jobs (run_id, step_name) VALUES ('r-cascade', 'qc')`);
      await m.query(
        `INSERT INTO job_files (job_id, role, path) SELECT id, 'output', 'x' FROM jobs WHERE run_id = 'r-cascade'`,
      );
      await m.query(`DELETE FROM runs WHERE id = 'r-cascade'`);
    });
    expect(await db.reader.query(`SELECT count(*) AS n FROM jobs`)).toEqual([{ n: 0 }]);
    expect(await db.reader.query(`SELECT count(*) AS n FROM job_files`)).toEqual([{ n: 0 }]);
  });

  it('fills the spec defaults for a run inserted with its id only', async () => {
    await db.write((m) => m.query(`INSERT INTO runs (id) VALUES ('r-defaults')`));
    const [row] = (await db.reader.query(
      `SELECT status, r1_error_rate, r1_anchored, r1_pair_filter, r1_seq, umi_pattern, fastp_cut_tail
         FROM runs WHERE id = 'r-defaults'`,
    )) as Array<Record<string, unknown>>;
    expect(row).toEqual({
      status: 'pending',
      r1_error_rate: 0.3,
      r1_anchored: 0,
      r1_pair_filter: 'both',
      r1_seq: null,
      umi_pattern: 'NNNNNNNNNN',
      fastp_cut_tail: 1,
    });
  });
});
