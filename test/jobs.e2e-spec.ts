/**
 * The job engine end to end: real FastQC jobs in process groups run by a separate worker
 * process over Redis, re-runs, concurrency, kill, and the worker-restart outcomes documented in
 * the README (adoption, "worker lost", a kill carried out when the worker returns).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { bullJobId, redisConnection, STEP_QUEUE } from '../libs/jobs/src/queue';
import { simulatedPair } from './support/fixtures';
import { processesInGroup, TestStack, waitFor } from './support/stack';

const BIG_PAIRS = 800_000;

describe('job engine (e2e)', () => {
  let stack: TestStack;
  /**
   * Small runs finish QC in a few seconds; big ones keep FastQC busy long enough to interfere
   * (800k pairs: ≈ 12 s per stage on a quiet 2-core machine; the tests that need the tool still
   * running after a worker or API restart run both stages, ≈ 25 s).
   */
  let small: string;
  const big: string[] = [];

  beforeAll(async () => {
    const smallReads = simulatedPair(2000, 21);
    const bigReads = simulatedPair(BIG_PAIRS, 22);
    stack = await new TestStack({ QSLAM_WORKER_CONCURRENCY: '2' }).start(1);
    small = (await stack.createRun({ name: 'small' }, smallReads.r1, smallReads.r2)).body.run_id;
    for (let i = 0; i < 3; i++) {
      const res = await stack.createRun({ name: `big ${i}` }, bigReads.r1, bigReads.r2);
      expect(res.status).toBe(201);
      big.push(res.body.run_id);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function start(runId: string, step = 'qc', query = ''): Promise<number> {
    const res = await stack.post(`/runs/${runId}/${step}${query}`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'pending', run_id: runId, step });
    return res.body.job_id;
  }

  async function pgidOf(runId: string, jobId: number): Promise<number> {
    const job = await stack.waitJob(runId, jobId, ['running', 'completed', 'failed', 'killed']);
    expect(job.pgid).toBeGreaterThan(1);
    return job.pgid;
  }

  it('runs qc twice and keeps both attempts in the history', async () => {
    const first = await start(small);
    expect((await stack.waitJob(small, first, ['completed', 'failed'])).status).toBe('completed');
    const second = await start(small, 'qc', '?stage=before');
    expect((await stack.waitJob(small, second, ['completed', 'failed'])).status).toBe('completed');

    const status = (await stack.get(`/runs/${small}/status`)).body;
    expect(status.status).toBe('completed');
    expect(status.current_step).toBeNull();
    expect(status.step_history.map((j: any) => [j.step_name, j.status])).toEqual([
      ['upload', 'completed'],
      ['qc', 'completed'],
      ['qc', 'completed'],
    ]);
    expect(status.step_history[1].job_id).toBe(first);
    expect(status.step_history[2].completed_at >= status.step_history[1].completed_at).toBe(true);

    const stepStatus = (await stack.get(`/runs/${small}/qc/status`)).body;
    expect(stepStatus).toMatchObject({ job_id: second, status: 'completed', exit_code: 0 });

    // One result shape: job, summary numbers, file links — no inlined report contents.
    const results = (await stack.get(`/runs/${small}/results/qc`)).body;
    expect(results.job).toMatchObject({ job_id: second, status: 'completed' });
    expect(results.summary.before.R1).toMatchObject({ total_sequences: 2000 });
    expect(results.summary.before.R2.modules['Basic Statistics']).toBe('pass');
    expect(typeof results.summary.before.R1.gc_percent).toBe('number');
    const html = results.files.find((f: any) => f.path === 'fastqc/beforeCutAdapt/R1_fastqc.html');
    expect(html).toBeDefined();
    const report = await stack.get(html.url);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/html/);
    expect(JSON.stringify(results).length).toBeLessThan(50_000);

    const all = (await stack.get(`/runs/${small}/results`)).body;
    expect(JSON.stringify(all)).toContain('fastqc/beforeCutAdapt/R2_fastqc.html');

    // Logs of a given attempt, tailed.
    const logs = (await stack.get(`/runs/${small}/qc/logs?job_id=${first}&tail=2`)).body;
    expect(logs.job_id).toBe(first);
    expect(logs.logs.split('\n')).toHaveLength(2);
    expect(logs.logs).toMatch(/exit status 0/);
    expect(existsSync(join(stack.dataDir, 'runs', small, 'logs', `qc.${first}.log`))).toBe(true);
    expect(
      readFileSync(join(stack.dataDir, 'runs', small, 'logs', `qc.${first}.rc`), 'utf8').trim(),
    ).toBe('0');
  });

  it('refuses an unknown step, a bad stage, and a second start while a job is active', async () => {
    const unknown = await stack.post(`/runs/${small}/assemble_genome`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/assemble_genome/);
    const badStage = await stack.post(`/runs/${small}/qc?stage=sideways`);
    expect(badStage.status).toBe(400);
    expect(JSON.stringify(badStage.body)).toMatch(/stage/);

    const job = await start(big[0]);
    const again = await stack.post(`/runs/${big[0]}/qc`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(`job ${job}`);
    expect(again.body.details).toMatchObject({ job_id: job, step: 'qc' });
    const clean = await stack.delete(`/runs/${big[0]}/clean`);
    expect(clean.status).toBe(409);

    await pgidOf(big[0], job);
    const killed = await stack.delete(`/runs/${big[0]}/kill`);
    expect(killed.status).toBe(200);
    expect(killed.body).toMatchObject({ job_id: job, status: 'killed' });
  });

  it('runs jobs of different runs at once up to the worker concurrency; the rest wait pending', async () => {
    const jobs: { run: string; job: number }[] = [];
    for (const run of big) jobs.push({ run, job: await start(run) });
    let sawTwoRunningOnePending = false;
    await waitFor(
      async () => {
        const states = await Promise.all(
          jobs.map(
            async ({ run, job }) =>
              (await stack.get(`/runs/${run}/status`)).body.step_history.find(
                (j: any) => j.job_id === job,
              ).status,
          ),
        );
        const running = states.filter((s) => s === 'running').length;
        if (running === 2 && states.includes('pending')) sawTwoRunningOnePending = true;
        return states.every((s) => s === 'completed');
      },
      'three big qc jobs to complete',
      150_000,
    );
    expect(sawTwoRunningOnePending).toBe(true);
    const system = (await stack.get('/system/status')).body;
    expect(system).toMatchObject({ active_jobs: 0, queued_jobs: 0 });
  });

  it('kills a running job: no process of its group survives and the run says killed', async () => {
    const job = await start(big[1]);
    const pgid = await pgidOf(big[1], job);
    expect(processesInGroup(pgid).length).toBeGreaterThan(0);
    const res = await stack.delete(`/runs/${big[1]}/kill`);
    expect(res.status).toBe(200);
    expect(processesInGroup(pgid)).toEqual([]);
    const status = (await stack.get(`/runs/${big[1]}/status`)).body;
    expect(status.status).toBe('killed');
    expect(status.current_step).toBeNull();
    expect(status.step_history.at(-1)).toMatchObject({ job_id: job, status: 'killed' });
    // Nothing of the killed attempt was published as a result.
    expect(existsSync(join(stack.dataDir, 'runs', big[1], '.staging', String(job)))).toBe(false);
    const again = await stack.delete(`/runs/${big[1]}/kill`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/no queued or running job/);
  });

  it('follows a running job log as server-sent events until it ends', async () => {
    const job = await start(small);
    const res = await fetch(`${stack.url}/runs/${small}/qc/logs?follow=true`);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/event: log/);
    expect(text).toMatch(/Analysis complete for R2/);
    expect(text).toContain(`event: end\ndata: {"job_id":${job},"status":"completed"}`);
  });

  it('adopts a job whose tool outlived a crashed worker and records its true outcome', async () => {
    const job = await start(big[2]);
    const pgid = await pgidOf(big[2], job);
    await stack.killWorker(stack.workers[0]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(processesInGroup(pgid).length).toBeGreaterThan(0); // the tool runs on without its worker
    expect((await stack.get(`/runs/${big[2]}/qc/status`)).body.status).toBe('running');
    await stack.startWorker();
    const done = await stack.waitJob(big[2], job, ['completed', 'failed', 'killed']);
    expect(done).toMatchObject({ status: 'completed', exit_code: 0 });
    expect(
      (await stack.get(`/runs/${big[2]}/results/qc`)).body.summary.before.R1.total_sequences,
    ).toBe(BIG_PAIRS);
    expect(stack.output()).toMatch(new RegExp(`adopting job ${job}`));
  });

  it('records "worker lost" when the tool died with the worker, leaving no process behind', async () => {
    const job = await start(big[2]);
    const pgid = await pgidOf(big[2], job);
    await stack.killWorker(stack.workers.at(-1)!);
    process.kill(-pgid, 'SIGKILL'); // e.g. the machine's OOM killer took the tool too
    await waitFor(async () => processesInGroup(pgid).length === 0, 'tool group gone');
    await stack.startWorker();
    const done = await stack.waitJob(big[2], job, ['completed', 'failed', 'killed']);
    expect(done.status).toBe('failed');
    expect(done.error_message).toMatch(/worker lost/);
    const run = (await stack.get(`/runs/${big[2]}/status`)).body;
    expect(run).toMatchObject({ status: 'failed', current_step: null });
  });

  it('carries out a kill requested while the worker was down when it returns', async () => {
    const job = await start(big[2], 'qc', '?stage=both');
    const pgid = await pgidOf(big[2], job);
    await stack.killWorker(stack.workers.at(-1)!);
    const res = await stack.delete(`/runs/${big[2]}/kill`);
    expect(res.status).toBe(202); // requested; nobody is there to carry it out yet
    expect(res.body).toMatchObject({ job_id: job });
    expect(processesInGroup(pgid).length).toBeGreaterThan(0);
    await stack.startWorker();
    const done = await stack.waitJob(big[2], job, ['completed', 'failed', 'killed'], 30_000);
    expect(done.status).toBe('killed');
    expect(processesInGroup(pgid)).toEqual([]);
  });

  it('leaves running jobs alone when the API restarts', async () => {
    const job = await start(big[0], 'qc', '?stage=both');
    const pgid = await pgidOf(big[0], job);
    await stack.killWorker(stack.api!, 'SIGTERM');
    expect(processesInGroup(pgid).length).toBeGreaterThan(0);
    await stack.restartApi();
    expect((await stack.get(`/runs/${big[0]}/qc/status`)).body.status).toBe('running');
    const done = await stack.waitJob(big[0], job, ['completed', 'failed', 'killed']);
    expect(done.status).toBe('completed');
  });

  it('runs a pending job whose queue entry was lost (API died before enqueueing, Redis lost it) once a worker starts', async () => {
    await stack.killWorker(stack.workers.at(-1)!);
    const job = await start(small);
    const queue = new Queue(STEP_QUEUE, {
      connection: redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
      prefix: stack.prefix,
    });
    try {
      const entry = await queue.getJob(bullJobId(job));
      expect(entry).toBeDefined();
      await entry!.remove();
      expect(await queue.getJob(bullJobId(job))).toBeUndefined();
    } finally {
      await queue.close();
    }
    expect((await stack.get(`/runs/${small}/qc/status`)).body.status).toBe('pending');
    await stack.startWorker();
    const done = await stack.waitJob(small, job, ['completed', 'failed', 'killed'], 60_000);
    expect(done.status).toBe('completed');
  });
});
