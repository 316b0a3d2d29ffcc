import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConflictError, NotFoundError } from '@qslam/common';
import { defaultParams } from '@qslam/params';
import { Database, openDatabase } from './database';
import { Job, JobEntity, JobFileEntity, Run, RunEntity } from './entities';
import { MIGRATIONS } from './migrations';
import { NewRun, RunStateService } from './run-state.service';

const newRun = (id: string, over: Partial<NewRun> = {}): NewRun => ({
  id,
  name: `run ${id}`,
  description: null,
  created_by: 'lab@example.org',
  params: defaultParams(),
  ...over,
});

describe('RunStateService on a real SQLite file', () => {
  let dir: string;
  let db: Database;
  let state: RunStateService;
  const runOf = async (id: string) =>
    (await db.reader.findOneOrFail(RunEntity, { where: { id } })) as Run;
  const jobsOf = async (runId: string) =>
    (await db.reader.find(JobEntity, { where: { run_id: runId }, order: { id: 'ASC' } })) as Job[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-state-'));
    db = await openDatabase(path.join(dir, 'qslam.db'));
    state = new RunStateService(db);
  });

  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a run with its parameters and the completed upload job', async () => {
    const startedAt = new Date(Date.now() - 1000);
    const run = await state.createRun(
      newRun('r-upload', {
        params: { ...defaultParams(), promoter_left: 1234, r1_anchored: true },
      }),
      {
        logFile: 'logs/upload.log',
        startedAt,
        files: [
          {
            role: 'output',
            path: 'rawdata/R1.fastq.gz',
            size: 10,
            producer_job_id: null,
            producer_step: null,
          },
          {
            role: 'output',
            path: 'rawdata/R2.fastq.gz',
            size: 12,
            producer_job_id: null,
            producer_step: null,
          },
        ],
      },
    );
    expect(run).toMatchObject({
      id: 'r-upload',
      name: 'run r-upload',
      status: 'upload_completed',
      current_step: null,
      promoter_left: 1234,
      r1_anchored: true,
      r1_seq: defaultParams().r1_seq,
    });
    const [upload] = await jobsOf('r-upload');
    expect(upload).toMatchObject({
      step_name: 'upload',
      status: 'completed',
      log_file: 'logs/upload.log',
      exit_code: 0,
    });
    expect(upload.started_at?.getTime()).toBe(startedAt.getTime());
    const files = await db.reader.find(JobFileEntity, { where: { job_id: upload.id } });
    expect(files.map((f) => [f.path, f.size]).sort()).toEqual([
      ['rawdata/R1.fastq.gz', 10],
      ['rawdata/R2.fastq.gz', 12],
    ]);
  });

  it('creates a run without data (import) as pending with no jobs', async () => {
    const run = await state.createRun(newRun('r-import'));
    expect(run.status).toBe('pending');
    expect(await jobsOf('r-import')).toEqual([]);
  });

  it('runs a job through its states and keeps the run in step', async () => {
    await state.createRun(newRun('r-seq'), { logFile: 'u.log', startedAt: new Date() });
    const job = await state.createJob('r-seq', 'qc', 'before', (id) => `logs/qc.${id}.log`);
    expect(job).toMatchObject({
      status: 'pending',
      variant: 'before',
      log_file: `logs/qc.${job.id}.log`,
    });
    expect(await runOf('r-seq')).toMatchObject({ status: 'queued', current_step: 'qc' });

    const running = await state.transition(job.id, 'running', { pgid: 4242, worker_id: 'h:1' });
    expect(running.changed).toBe(true);
    expect(running.job).toMatchObject({ status: 'running', pgid: 4242, worker_id: 'h:1' });
    expect(running.job.completed_at).toBeNull();
    expect(await runOf('r-seq')).toMatchObject({ status: 'running', current_step: 'qc' });

    const done = await state.transition(job.id, 'completed', { exit_code: 0 }, [
      {
        role: 'output',
        path: 'fastqc/beforeCutAdapt/R1_fastqc.html',
        size: 5,
        producer_job_id: null,
        producer_step: null,
      },
    ]);
    expect(done.job).toMatchObject({ status: 'completed', exit_code: 0 });
    expect(done.job.completed_at).toBeInstanceOf(Date);
    expect(await runOf('r-seq')).toMatchObject({ status: 'completed', current_step: null });
    const files = await db.reader.find(JobFileEntity, { where: { job_id: job.id } });
    expect(files.map((f) => f.path)).toEqual(['fastqc/beforeCutAdapt/R1_fastqc.html']);
  });

  it('refuses illegal transitions without changing anything', async () => {
    await state.createRun(newRun('r-illegal'));
    const job = await state.createJob('r-illegal', 'qc', null, () => 'x.log');
    const skipped = await state.transition(job.id, 'completed');
    expect(skipped).toMatchObject({ changed: false, job: { status: 'pending' } });
    await state.transition(job.id, 'failed', { error_message: 'input vanished' });
    const again = await state.transition(job.id, 'running');
    expect(again).toMatchObject({ changed: false, job: { status: 'failed' } });
    // a terminal job never re-opens, even to the same status
    expect((await state.transition(job.id, 'failed')).changed).toBe(false);
    expect(await runOf('r-illegal')).toMatchObject({ status: 'failed', current_step: null });
    const [stored] = await jobsOf('r-illegal');
    expect(stored).toMatchObject({ status: 'failed', error_message: 'input vanished' });
  });

  it('refuses a second job while one is active, naming it (409)', async () => {
    await state.createRun(newRun('r-conflict'));
    const first = await state.createJob('r-conflict', 'qc', null, () => 'a.log');
    await expect(state.createJob('r-conflict', 'cutadapt', null, () => 'b.log')).rejects.toThrow(
      ConflictError,
    );
    await state.transition(first.id, 'running');
    const err = (await state
      .createJob('r-conflict', 'cutadapt', null, () => 'b.log')
      .catch((e: unknown) => e)) as ConflictError;
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.status).toBe(409);
    expect(err.details).toEqual({ job_id: first.id, step: 'qc', status: 'running' });
    expect(err.message).toContain(`job ${first.id} (qc) running`);
    expect(await jobsOf('r-conflict')).toHaveLength(1);

    await state.transition(first.id, 'killed');
    const next = await state.createJob('r-conflict', 'cutadapt', null, () => 'b.log');
    expect(next.status).toBe('pending');
  });

  it('lets only one of two simultaneous starts succeed', async () => {
    await state.createRun(newRun('r-race'));
    const results = await Promise.allSettled([
      state.createJob('r-race', 'qc', null, () => 'a.log'),
      state.createJob('r-race', 'umi', null, () => 'b.log'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await jobsOf('r-race')).toHaveLength(1);
  });

  it('answers 404 for unknown runs and jobs', async () => {
    await expect(state.createJob('nope', 'qc', null, () => 'x')).rejects.toThrow(NotFoundError);
    await expect(state.transition(999_999, 'running')).rejects.toThrow(NotFoundError);
  });

  it('records a kill request and annotations without touching the status', async () => {
    await state.createRun(newRun('r-kill'));
    const job = await state.createJob('r-kill', 'qc', null, () => 'x');
    await state.transition(job.id, 'running');
    const before = Date.now();
    await state.requestKill(job.id);
    await state.annotate(job.id, { pgid: 77 });
    const [stored] = await jobsOf('r-kill');
    expect(stored.status).toBe('running');
    expect(stored.pgid).toBe(77);
    expect(stored.kill_requested_at).toBeInstanceOf(Date);
    expect(stored.kill_requested_at!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await runOf('r-kill')).toMatchObject({ status: 'running', current_step: 'qc' });
  });

  it('rolls back a failed write transaction completely', async () => {
    await expect(
      db.write(async (m) => {
        await m.insert(RunEntity, { id: 'r-rollback', ...defaultParams() });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.reader.findOne(RunEntity, { where: { id: 'r-rollback' } })).toBeNull();
    // the lock is released: the next write goes through
    await state.createRun(newRun('r-after-rollback'));
    expect((await runOf('r-after-rollback')).status).toBe('pending');
  });
});

describe('two connections to one SQLite file', () => {
  let dir: string;
  let a: Database;
  let b: Database;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-concurrent-'));
    const file = path.join(dir, 'qslam.db');
    // Both start (and migrate) at once, like the API and a worker starting together.
    [a, b] = await Promise.all([openDatabase(file), openDatabase(file)]);
  });

  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrated once', async () => {
    const rows = await a.reader.query('SELECT count(*) AS n FROM typeorm_migrations');
    expect(rows).toEqual([{ n: MIGRATIONS.length }]);
  });

  it('never surfaces SQLITE_BUSY under concurrent writers', async () => {
    const N = 200;
    const sa = new RunStateService(a);
    const sb = new RunStateService(b);
    await sa.createRun(newRun('shared'));
    const writes = (s: RunStateService, db: Database, tag: string) =>
      Array.from({ length: N }, async (_, i) => {
        if (i % 2 === 0) return s.createRun(newRun(`${tag}-${i}`));
        // read-modify-write inside one transaction: a lost update would show in the total
        return db.write(async (m) => {
          const [row] = (await m.query(
            `SELECT promoter_right FROM runs WHERE id = 'shared'`,
          )) as Array<{
            promoter_right: number;
          }>;
          await m.query(`UPDATE runs SET promoter_right = ? WHERE id = 'shared'`, [
            row.promoter_right + 1,
          ]);
        });
      });
    const results = await Promise.allSettled([...writes(sa, a, 'a'), ...writes(sb, b, 'b')]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    expect(await b.reader.query(`SELECT count(*) AS n FROM runs WHERE id != 'shared'`)).toEqual([
      { n: N },
    ]);
    expect(await a.reader.query(`SELECT promoter_right FROM runs WHERE id = 'shared'`)).toEqual([
      { promoter_right: 2000 + N },
    ]);
  }, 60_000);
});
