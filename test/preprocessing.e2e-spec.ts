/**
 * The preprocessing chain end to end on simulated reads with known content: umi, cutadapt,
 * fastp, readlen and qc?stage=after, the provenance of every job, and `stale`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedPair } from './support/fixtures';
import { Read, readFastq } from './support/fastq';
import { TestStack } from './support/stack';

const PRIMER = 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC';
const UMI_LENGTH = 10;

describe('preprocessing chain (e2e)', () => {
  let stack: TestStack;
  let runId: string;
  let ws: string;
  let raw: { r1: Read[]; r2: Read[] };

  beforeAll(async () => {
    const reads = simulatedPair(3000, 31, { umi: UMI_LENGTH, mispriming: 0.2 });
    raw = { r1: readFastq(reads.r1), r2: readFastq(reads.r2) };
    stack = await new TestStack().start(1);
    // r1_min_overlap 20 instead of the lab's 5: with 5, a few primer bases at the start of a
    // mispriming read count as a match and the pair survives (README, cutadapt).
    const created = await stack.createRun(
      { name: 'chain', umi_read: 'R2', umi_pattern: 'N'.repeat(UMI_LENGTH), r1_min_overlap: '20' },
      reads.r1,
      reads.r2,
    );
    expect(created.status).toBe(201);
    runId = created.body.run_id;
    ws = join(stack.dataDir, 'runs', runId);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const run = (step: string, query = ''): Promise<any> => stack.runStep(runId, step, query);

  it('umi moves the first 10 bases of R2 into both read names', async () => {
    const results = await run('umi');
    const r1 = readFastq(join(ws, 'umi', 'R1.fastq.gz'));
    const r2 = readFastq(join(ws, 'umi', 'R2.fastq.gz'));
    expect(r1).toHaveLength(raw.r1.length);
    expect(r2).toHaveLength(raw.r2.length);
    for (let i = 0; i < r2.length; i++) {
      const umi = raw.r2[i].seq.slice(0, UMI_LENGTH);
      expect(r1[i].name).toBe(`${raw.r1[i].name}_${umi}`);
      expect(r2[i].name).toBe(`${raw.r2[i].name}_${umi}`);
      expect(r2[i].seq).toBe(raw.r2[i].seq.slice(UMI_LENGTH));
      expect(r2[i].qual).toBe(raw.r2[i].qual.slice(UMI_LENGTH));
      expect(r1[i].seq).toBe(raw.r1[i].seq);
    }
    expect(results.summary).toMatchObject({
      reads_processed: raw.r1.length,
      umi_length: UMI_LENGTH,
    });
    expect(results.inputs.map((f: any) => [f.path, f.producer_step])).toEqual([
      ['rawdata/R1.fastq.gz', 'upload'],
      ['rawdata/R2.fastq.gz', 'upload'],
    ]);
  });

  it('cutadapt reads the umi output, removes the primer and drops the mispriming pairs', async () => {
    const results = await run('cutadapt');
    expect(results.inputs.map((f: any) => [f.path, f.producer_step])).toEqual([
      ['umi/R1.fastq.gz', 'umi'],
      ['umi/R2.fastq.gz', 'umi'],
    ]);
    const r1 = readFastq(join(ws, 'cutPrimer', 'R1.fastq.gz'));
    const r2 = readFastq(join(ws, 'cutPrimer', 'R2.fastq.gz'));
    const mispriming = raw.r1.filter((r) => r.name.includes('mispriming')).length;
    expect(mispriming).toBeGreaterThan(300);
    expect(r1.filter((r) => r.name.includes('mispriming'))).toEqual([]);
    expect(r1.filter((r) => r.seq.startsWith(PRIMER.slice(0, 12)))).toEqual([]);
    expect(r2.filter((r) => r.seq.startsWith('GACTGCGTATCAGT'))).toEqual([]);
    // The LTR remainder after the primer is where the host DNA begins (DOMAIN.md).
    expect(r1.filter((r) => r.seq.startsWith('TAGCA')).length / r1.length).toBeGreaterThan(0.95);
    expect(r1.map((r) => r.name)).toEqual(r2.map((r) => r.name));
    expect(results.summary).toMatchObject({
      pairs_in: raw.r1.length,
      discarded_without_primer: mispriming,
      pairs_written: r1.length,
    });
    expect(existsSync(join(ws, 'cutPrimer', 'cutadapt_r1.json'))).toBe(true);
    // Nothing left of the job's staging area (pass-1 intermediates included).
    expect(readdirSync(join(ws, '.staging'))).toEqual([]);
  });

  it("fastp writes its reports into the workspace and leaves every R1 5' end unchanged", async () => {
    const results = await run('fastp');
    expect(results.inputs[0]).toMatchObject({
      path: 'cutPrimer/R1.fastq.gz',
      producer_step: 'cutadapt',
    });
    const before = new Map(
      readFastq(join(ws, 'cutPrimer', 'R1.fastq.gz')).map((r) => [r.name, r.seq]),
    );
    const after = readFastq(join(ws, 'fastp', 'R1.fastq.gz'));
    expect(after.length).toBeGreaterThan(0.9 * before.size);
    for (const read of after) {
      const original = before.get(read.name);
      expect(original).toBeDefined();
      // only the 3' end may be shortened
      expect(original!.startsWith(read.seq)).toBe(true);
    }
    expect(existsSync(join(ws, 'fastp', 'fastp.html'))).toBe(true);
    expect(existsSync(join(ws, 'fastp', 'fastp.json'))).toBe(true);
    expect(results.summary.pairs_after).toBe(after.length);
    expect(results.files.map((f: any) => f.path)).toContain('fastp/fastp.html');
  });

  it('readlen counts exactly the reads of the current end of the chain', async () => {
    const results = await run('readlen');
    expect(results.inputs[0]).toMatchObject({ path: 'fastp/R1.fastq.gz', producer_step: 'fastp' });
    const r1 = readFastq(join(ws, 'fastp', 'R1.fastq.gz'));
    const r2 = readFastq(join(ws, 'fastp', 'R2.fastq.gz'));
    expect(results.summary.R1.reads).toBe(r1.length);
    expect(results.summary.R2.reads).toBe(r2.length);
    const json = (await stack.get(`/runs/${runId}/files/readlen/readlen.json`)).body;
    const total = (h: [number, number][]) => h.reduce((n, [, c]) => n + c, 0);
    expect(total(json.R1.histogram)).toBe(r1.length);
    expect(total(json.R2.histogram)).toBe(r2.length);
    const lengths = new Map<number, number>();
    for (const r of r1) lengths.set(r.seq.length, (lengths.get(r.seq.length) ?? 0) + 1);
    expect(Object.fromEntries(json.R1.histogram)).toEqual(Object.fromEntries(lengths));
    const pdf = await stack.get(`/runs/${runId}/files/readlen/readlen.pdf`);
    expect(pdf.headers.get('content-type')).toMatch(/application\/pdf/);
    expect(String(pdf.body).startsWith('%PDF-')).toBe(true);
  });

  it('qc?stage=after reads the end of the chain', async () => {
    const results = await run('qc', '?stage=after');
    expect(results.inputs[0]).toMatchObject({ path: 'fastp/R1.fastq.gz', producer_step: 'fastp' });
    const pairs = readFastq(join(ws, 'fastp', 'R1.fastq.gz')).length;
    expect(results.summary.after.R1.total_sequences).toBe(pairs);
  });

  it('marks downstream results stale when cutadapt runs again, and clears it on re-run', async () => {
    await run('cutadapt');
    let status = (await stack.get(`/runs/${runId}/status`)).body;
    expect(status.stale_steps.map((s: any) => s.step).sort()).toEqual(['fastp', 'qc', 'readlen']);
    expect(status.stale_steps.every((s: any) => s.newer_step === 'cutadapt')).toBe(true);
    expect((await stack.get(`/runs/${runId}/results/fastp`)).body).toMatchObject({
      stale: true,
      stale_because: { step: 'cutadapt' },
    });
    const history = status.step_history;
    const lastCut = history.filter((j: any) => j.step_name === 'cutadapt').at(-1);
    expect(lastCut.inputs.map((f: any) => f.path)).toEqual(['umi/R1.fastq.gz', 'umi/R2.fastq.gz']);
    expect(lastCut.outputs.map((f: any) => f.path)).toContain('cutPrimer/R1.fastq.gz');

    await run('fastp');
    status = (await stack.get(`/runs/${runId}/status`)).body;
    expect(status.stale_steps.map((s: any) => s.step).sort()).toEqual(['qc', 'readlen']);
    expect(status.stale_steps.every((s: any) => s.newer_step === 'fastp')).toBe(true);
    await run('readlen');
    await run('qc', '?stage=after');
    status = (await stack.get(`/runs/${runId}/status`)).body;
    expect(status.stale_steps).toEqual([]);
    expect((await stack.get(`/runs/${runId}/results/fastp`)).body.stale).toBe(false);
  });

  it('a failing tool leaves the previous good outputs of its step in place', async () => {
    const good = readFileSync(join(ws, 'fastp', 'R1.fastq.gz'));
    const goodJob = (await stack.get(`/runs/${runId}/results/fastp`)).body.job.job_id;
    writeFileSync(join(ws, 'cutPrimer', 'R1.fastq.gz'), 'this is not gzip\n');
    const started = await stack.post(`/runs/${runId}/fastp`);
    const job = await stack.waitJob(runId, started.body.job_id, ['completed', 'failed']);
    expect(job.status).toBe('failed');
    expect(job.error_message).toMatch(/fastp exited with status [1-9]/);
    expect(readFileSync(join(ws, 'fastp', 'R1.fastq.gz')).equals(good)).toBe(true);
    const results = (await stack.get(`/runs/${runId}/results/fastp`)).body;
    expect(results.job.job_id).toBe(goodJob);
    expect(results.latest_job).toEqual({ job_id: job.job_id, status: 'failed' });
    expect((await stack.get(`/runs/${runId}/status`)).body.status).toBe('failed');
  });

  it('falls back along the chain after a clean and refuses umi on a run without UMIs', async () => {
    expect((await stack.delete(`/runs/${runId}/clean`)).status).toBe(200);
    const results = await run('readlen');
    expect(results.inputs[0]).toMatchObject({
      path: 'rawdata/R1.fastq.gz',
      producer_step: 'upload',
    });
    expect(results.summary.R1.reads).toBe(raw.r1.length);

    const plain = simulatedPair(500, 32);
    const other = (await stack.createRun({ name: 'no umi' }, plain.r1, plain.r2)).body.run_id;
    const refused = await stack.post(`/runs/${other}/umi`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/umi_read=none/);
  });

  it('rejects UMI patterns and fastp settings the tools would reject at run creation', async () => {
    const plain = simulatedPair(500, 32);
    const bad = await stack.createRun({ name: 'bad', umi_pattern: 'NNNZZ' }, plain.r1, plain.r2);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/umi_pattern/);
    const noN = await stack.createRun({ name: 'bad', umi_pattern: 'XXXX' }, plain.r1, plain.r2);
    expect(noN.status).toBe(400);
    const q = await stack.createRun(
      { name: 'bad', fastp_qualified_quality: '99' },
      plain.r1,
      plain.r2,
    );
    expect(q.status).toBe(400);
    expect(q.body.message).toMatch(/fastp_qualified_quality/);
  });
});
