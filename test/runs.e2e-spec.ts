/**
 * Run management end to end: upload (both form styles), listing, details, status, files,
 * export/import, clean, delete, and every refusal leaving no half-written state behind.
 * Real API and worker processes, real Redis, real SQLite file, real HTTP.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReadPair, simulatedPair } from './support/fixtures';
import { TestStack } from './support/stack';

const LTR = 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC';

describe('run management (e2e)', () => {
  let stack: TestStack;
  let reads: ReadPair;
  let other: ReadPair;

  beforeAll(async () => {
    reads = simulatedPair(2000, 11);
    other = simulatedPair(1500, 12);
    stack = await new TestStack().start(1);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** The runs/ folder holds exactly the created runs (no leftovers of refused uploads). */
  function runDirs(): string[] {
    return readdirSync(join(stack.dataDir, 'runs')).filter((d) => !d.startsWith('.'));
  }

  function leftovers(): string[] {
    const incoming = join(stack.dataDir, 'runs', '.incoming');
    return existsSync(incoming) ? readdirSync(incoming) : [];
  }

  async function expectRefused(
    fields: Record<string, string>,
    r1: string,
    r2: string,
    status: number,
    message: RegExp,
  ): Promise<any> {
    const before = (await stack.get('/runs?limit=500')).body.total;
    const dirs = runDirs();
    const res = await stack.createRun(fields, r1, r2);
    expect({ status: res.status, message: res.body.message }).toEqual({
      status,
      message: expect.stringMatching(message),
    });
    expect((await stack.get('/runs?limit=500')).body.total).toBe(before);
    expect(runDirs()).toEqual(dirs);
    expect(leftovers()).toEqual([]);
    return res.body;
  }

  it('creates a run from form fields (spec curl example) and records the upload as step 1', async () => {
    const res = await stack.createRun(
      {
        name: 'My Experiment',
        description: 'Testing new parameters',
        created_by: 'researcher@lab.com',
        r1_seq: LTR,
        r1_error_rate: '0.25',
        r1_anchored: 'true',
        r2_seq: 'GACTGCGTATCAGT',
        genome: 'hg38',
        promoter_left: '4000',
        enhancer_left: '40000',
        qc_stage: 'both',
      },
      reads.r1,
      reads.r2,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'upload_completed', upload: { records: 2000 } });
    const id = res.body.run_id;

    const details = (await stack.get(`/runs/${id}`)).body;
    expect(details).toMatchObject({
      id,
      name: 'My Experiment',
      created_by: 'researcher@lab.com',
      status: 'upload_completed',
      current_step: null,
      r1_seq: LTR,
      r1_error_rate: 0.25,
      r1_anchored: true,
      r2_error_rate: 0.1,
      genome: 'hg38',
      promoter_left: 4000,
      promoter_right: 2000,
      enhancer_left: 40000,
      qc_stage: 'both',
    });

    const status = (await stack.get(`/runs/${id}/status`)).body;
    expect(status.status).toBe('upload_completed');
    expect(status.step_history).toHaveLength(1);
    expect(status.step_history[0]).toMatchObject({ step_name: 'upload', status: 'completed' });

    const ws = join(stack.dataDir, 'runs', id);
    for (const dir of ['rawdata', 'logs', 'fastqc', 'results'])
      expect(existsSync(join(ws, dir))).toBe(true);
    // The stored reads are byte-identical to the upload.
    expect(readFileSync(join(ws, 'rawdata', 'R1.fastq.gz')).equals(readFileSync(reads.r1))).toBe(
      true,
    );
  });

  it('creates a run from a grouped config JSON field (spec testing example)', async () => {
    const config = {
      cutadapt: { r1_seq: 'ATCG', r2_seq: 'GCTA', r2_min_overlap: 4 },
      read_mapping: { genome: 'mm10' },
      site_analysis: { promoter_left: 1000, promoter_right: 500, enhancer_left: 2000 },
    };
    const res = await stack.createRun(
      { name: 'Config run', created_by: 'alice', config: JSON.stringify(config) },
      other.r1,
      other.r2,
    );
    expect(res.status).toBe(201);
    expect(res.body.config_stored).toEqual(['cutadapt', 'read_mapping', 'site_analysis']);
    const run = (await stack.get(`/runs/${res.body.run_id}`)).body;
    expect(run).toMatchObject({
      r1_seq: 'ATCG',
      r2_seq: 'GCTA',
      r2_min_overlap: 4,
      genome: 'mm10',
      promoter_left: 1000,
    });
  });

  it('lists runs with paging and filters', async () => {
    const all = (await stack.get('/runs')).body;
    expect(all.total).toBeGreaterThanOrEqual(2);
    const page = (await stack.get('/runs?limit=1&offset=0')).body;
    expect(page.runs).toHaveLength(1);
    expect(page).toMatchObject({ limit: 1, offset: 0, total: all.total });
    expect((await stack.get('/runs?genome=mm10')).body.runs.map((r: any) => r.name)).toEqual([
      'Config run',
    ]);
    expect(
      (await stack.get('/runs?created_by=researcher%40lab.com')).body.runs.map((r: any) => r.name),
    ).toEqual(['My Experiment']);
    expect((await stack.get('/runs?q=new%20param')).body.runs.map((r: any) => r.name)).toEqual([
      'My Experiment',
    ]);
    expect((await stack.get('/runs?status=running')).body.total).toBe(0);
    const bad = await stack.get('/runs?status=sleeping');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/status/);
  });

  it('refuses a truncated gzip, naming the file and the record reached', async () => {
    const truncated = join(stack.dataDir, 'truncated_R1.fastq.gz');
    const full = readFileSync(reads.r1);
    writeFileSync(truncated, full.subarray(0, Math.floor(full.length / 2)));
    const body = await expectRefused(
      { name: 'trunc' },
      truncated,
      reads.r2,
      422,
      /R1.*(truncated|corrupt)/i,
    );
    expect(JSON.stringify(body)).toMatch(/record/);
  });

  it('refuses a file that is not FASTQ', async () => {
    const notFastq = join(stack.dataDir, 'notes.txt');
    writeFileSync(notFastq, 'hello\nthis is not a sequencing file\n');
    await expectRefused({ name: 'text' }, reads.r1, notFastq, 422, /R2/);
  });

  it('refuses R1 and R2 with different numbers of records', async () => {
    await expectRefused({ name: 'mismatch' }, reads.r1, other.r2, 422, /R1.*R2|R2.*R1|record/i);
  });

  it('refuses a parameter out of bounds and names it', async () => {
    await expectRefused(
      { name: 'bounds', r1_error_rate: '1.5' },
      reads.r1,
      reads.r2,
      400,
      /r1_error_rate/,
    );
    await expectRefused(
      { name: 'bounds', promoter_left: '-3' },
      reads.r1,
      reads.r2,
      400,
      /promoter_left/,
    );
  });

  it('refuses sequences with characters that are not IUPAC bases', async () => {
    await expectRefused({ name: 'iupac', r1_seq: 'ACGTXZ' }, reads.r1, reads.r2, 400, /r1_seq/);
    await expectRefused(
      { name: 'iupac', config: JSON.stringify({ cutadapt: { r2_seq: 'GACT GCG' } }) },
      reads.r1,
      reads.r2,
      400,
      /r2_seq/,
    );
  });

  it('refuses unknown fields and malformed config JSON', async () => {
    await expectRefused({ name: 'x', colour: 'blue' }, reads.r1, reads.r2, 400, /colour/);
    await expectRefused({ name: 'x', config: '{"cutadapt": ' }, reads.r1, reads.r2, 400, /config/);
  });

  it('refuses a missing R2 upload', async () => {
    const form = new FormData();
    form.append('name', 'one file');
    form.append('R1', new Blob([readFileSync(reads.r1)]), 'R1.fastq.gz');
    const res = await stack.request('POST', '/runs', form);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/R2/);
    expect(leftovers()).toEqual([]);
  });

  it('serves files with content types and ranges, and refuses paths leaving the workspace', async () => {
    const created = await stack.createRun({ name: 'files' }, reads.r1, reads.r2);
    const id = created.body.run_id;
    const list = (await stack.get(`/runs/${id}/files`)).body;
    const raw = list.files.find((f: any) => f.path === 'rawdata/R1.fastq.gz');
    expect(raw.size).toBe(readFileSync(reads.r1).length);

    const range = await stack.request('GET', `/runs/${id}/files/rawdata/R1.fastq.gz`, undefined, {
      range: 'bytes=0-9',
    });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 0-9/${raw.size}`);

    const log = await stack.get(`/runs/${id}/files/logs/upload.log`);
    expect(log.status).toBe(200);
    expect(log.headers.get('content-type')).toMatch(/text\/plain/);

    // fetch normalizes literal and %2E dot segments itself; encoded slashes reach the server.
    for (const path of [
      '..%2F..%2Fqslam.db',
      '%2Fetc%2Fpasswd',
      'rawdata/..%2F..%2F..%2Fetc%2Fpasswd',
    ]) {
      const res = await stack.get(`/runs/${id}/files/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    // Raw `..` segments, as a client that does not normalize the URL would send them.
    const rawDots = await new Promise<number>((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const http = require('node:http') as typeof import('node:http');
      http
        .get(
          { host: '127.0.0.1', port: stack.port, path: `/runs/${id}/files/../../../qslam.db` },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });
    expect([403, 404]).toContain(rawDots);

    symlinkSync('/etc', join(stack.dataDir, 'runs', id, 'results', 'etc-link'));
    const viaLink = await stack.get(`/runs/${id}/files/results/etc-link/passwd`);
    expect(viaLink.status).toBe(403);
    expect(viaLink.body.message).toMatch(/outside/);
    expect((await stack.get(`/runs/${id}/files/results/none.txt`)).status).toBe(404);
  });

  it('exports a run and imports it on another server', async () => {
    const created = await stack.createRun(
      {
        name: 'Exported',
        description: 'to share',
        created_by: 'bob',
        r1_seq: LTR,
        genome: 'hg38',
        r2_min_overlap: '7',
      },
      reads.r1,
      reads.r2,
    );
    const exported = await stack.get(`/runs/${created.body.run_id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    expect(exported.body).toMatchObject({ format: 'qslam-run-config', run: { name: 'Exported' } });

    const second = await new TestStack().start(0);
    try {
      const imported = await second.post('/runs/import', exported.body);
      expect(imported.status).toBe(201);
      const run = (await second.get(`/runs/${imported.body.run_id}`)).body;
      expect(run).toMatchObject({
        name: 'Exported',
        description: 'to share',
        created_by: 'bob',
        r1_seq: LTR,
        genome: 'hg38',
        r2_min_overlap: 7,
        status: 'pending',
      });
      // Validated like creation: a tampered file is refused and creates nothing.
      const tampered = JSON.parse(JSON.stringify(exported.body));
      tampered.config.cutadapt.r2_min_overlap = 0;
      const refused = await second.post('/runs/import', tampered);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toMatch(/r2_min_overlap/);
      expect((await second.get('/runs')).body.total).toBe(1);
      expect((await second.post('/runs/import', { format: 'something-else' })).status).toBe(400);
      // An imported run has no reads yet: a step names the missing file and who makes it.
      const noReads = await second.post(`/runs/${imported.body.run_id}/cutadapt`);
      expect(noReads.status).toBe(409);
      expect(noReads.body.message).toMatch(/rawdata\/R1\.fastq\.gz.*POST \/runs/);
    } finally {
      await second.stop();
    }
  });

  it('cleans step outputs but keeps the reads and logs, then deletes the run', async () => {
    const created = await stack.createRun({ name: 'to clean' }, reads.r1, reads.r2);
    const id = created.body.run_id;
    const started = await stack.post(`/runs/${id}/qc`);
    expect(started.status).toBe(202);
    await stack.waitJob(id, started.body.job_id, ['completed']);
    const ws = join(stack.dataDir, 'runs', id);
    expect(readdirSync(join(ws, 'fastqc', 'beforeCutAdapt')).length).toBeGreaterThan(0);

    const cleaned = await stack.delete(`/runs/${id}/clean`);
    expect(cleaned.status).toBe(200);
    expect(cleaned.body.message).toBe('Run cleaned successfully');
    expect(existsSync(join(ws, 'fastqc', 'beforeCutAdapt'))).toBe(false);
    expect(existsSync(join(ws, 'rawdata', 'R1.fastq.gz'))).toBe(true);
    expect(existsSync(join(ws, 'logs', `qc.${started.body.job_id}.log`))).toBe(true);
    // The history (audit trail) survives a clean.
    expect(
      (await stack.get(`/runs/${id}/status`)).body.step_history.map((j: any) => j.step_name),
    ).toEqual(['upload', 'qc']);

    const deleted = await stack.delete(`/runs/${id}`);
    expect(deleted.status).toBe(200);
    expect(existsSync(ws)).toBe(false);
    expect((await stack.get(`/runs/${id}`)).status).toBe(404);
    expect((await stack.get(`/runs/${id}/status`)).status).toBe(404);
    expect((await stack.delete(`/runs/${id}`)).status).toBe(404);
  });

  it('answers 404 for unknown runs and 400 for malformed run ids', async () => {
    expect((await stack.get('/runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await stack.get('/runs/not-a-uuid/status');
    expect([400, 404]).toContain(bad.status);
  });

  it('reports the system and documents every endpoint in Swagger', async () => {
    const info = (await stack.get('/system/info')).body;
    expect(info).toMatchObject({ name: 'qsLAM PCR Server', deployment_mode: 'local' });
    const fastqc = execFileSync('fastqc', ['--version']).toString();
    expect(fastqc).toContain(info.tools.fastqc);
    const status = (await stack.get('/system/status')).body;
    expect(status).toMatchObject({ active_jobs: 0, workers_online: 1 });
    expect(status.total_runs).toBeGreaterThanOrEqual(2);
    expect(typeof status.disk_usage).toBe('string');
    expect((await stack.get('/health')).body).toMatchObject({ status: 'ok' });

    const doc = (await stack.get('/docs-json')).body;
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/runs',
      '/runs/import',
      '/runs/{id}',
      '/runs/{id}/status',
      '/runs/{id}/kill',
      '/runs/{id}/clean',
      '/runs/{id}/export',
      '/runs/{id}/{step}',
      '/runs/{id}/{step}/status',
      '/runs/{id}/{step}/logs',
      '/runs/{id}/results',
      '/runs/{id}/results/{step}',
      '/runs/{id}/files',
      '/system/status',
      '/system/info',
      '/health',
    ]) {
      expect(paths).toContain(p);
    }
    const createBody = JSON.stringify(doc.paths['/runs'].post.requestBody);
    for (const field of ['R1', 'R2', 'config', 'r1_seq', 'promoter_left', 'qc_stage'])
      expect(createBody).toContain(field);
  });
});
