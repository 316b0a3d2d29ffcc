/**
 * The SQLite database: one file in WAL mode, shared by the API and any number of workers.
 *
 * Concurrency follows Datasette's rule of one writer. Across processes, every write transaction
 * starts with `BEGIN IMMEDIATE`, which takes SQLite's write lock up front, so the busy timeout
 * applies and no transaction can fail half-way with SQLITE_BUSY when upgrading a read lock.
 * Inside a process, TypeORM's sqlite driver shares a single connection between all queries, so a
 * mutex serialises write transactions: another request's statement can never slip into an open
 * transaction. Readers never take the mutex; WAL lets them read while a writer writes.
 *
 * Inside `write()`, use `insert`/`update`/`delete`/`find` only: `save()` would try to open a
 * nested transaction of its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { Mutex } from '@qslam/common';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export const BUSY_TIMEOUT_MS = 30_000;

export class Database {
  private readonly writeLock = new Mutex();

  constructor(readonly dataSource: DataSource) {}

  /** Entity manager for reads (outside any transaction of this process's own making). */
  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  write<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writeLock.run(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.query('BEGIN IMMEDIATE');
      try {
        const result = await fn(runner.manager);
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        await runner.query('ROLLBACK');
        throw error;
      } finally {
        await runner.release();
      }
    });
  }

  /** Applies pending migrations under the write lock, so concurrent starters do it once. */
  async migrate(): Promise<string[]> {
    return this.writeLock.run(async () => {
      await this.dataSource.query('BEGIN IMMEDIATE');
      try {
        const applied = await this.dataSource.runMigrations({ transaction: 'none' });
        await this.dataSource.query('COMMIT');
        return applied.map((m) => m.name);
      } catch (error) {
        await this.dataSource.query('ROLLBACK');
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * The sqlite3 module without its `verbose()` mode, which TypeORM switches on: it builds an Error
 * and inspects the SQL on every call (≈ 20 % of the API's CPU per request, bench/api-responsiveness).
 */
function quietSqlite(): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as object;
  const quiet: Record<string, unknown> = Object.create(sqlite3) as Record<string, unknown>;
  quiet.verbose = () => quiet;
  return quiet;
}

export function createDataSource(dbPath: string): DataSource {
  return new DataSource({
    type: 'sqlite',
    database: dbPath,
    driver: quietSqlite(),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    enableWAL: true,
    busyTimeout: BUSY_TIMEOUT_MS,
    synchronize: false,
    logging: ['error'],
  });
}

/** Opens (creating if needed) the database file and brings its schema up to date. */
export async function openDatabase(dbPath: string, opts = { migrate: true }): Promise<Database> {
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const dataSource = createDataSource(dbPath);
  await dataSource.initialize();
  const db = new Database(dataSource);
  if (opts.migrate) await db.migrate();
  return db;
}
