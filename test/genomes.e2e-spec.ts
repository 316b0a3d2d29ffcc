/**
 * Reference genomes end to end (issue #4): the demo genome indexed through POST /genomes, reads
 * simulated from it mapped by read_mapping, the 409 of a run whose genome is missing, index
 * tarballs installed from a local HTTP server (sha256, a run's genome_tar_url), unsafe tarballs
 * refused without a byte written outside the genome directory, one download for concurrent
 * requests, and DELETE refused while a job uses the genome.
 * Real API and worker processes, real Redis, real bwa/samtools/tar, real HTTP.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TarEntry, writeTarGz } from '@qslam/genomes/testing/tar-writer';
import { reverseComplement } from '@qslam/fastq';
import { readFastq } from './support/fastq';
import { FileServer } from './support/file-server';
import { ReadPair } from './support/fixtures';
import { demoGenomeFiles, demoGenomeReads, installDemoGenome, waitGenome } from './support/genomes';
import { freePort, processesInGroup, TestStack, waitFor } from './support/stack';

const UMI_LENGTH = 10;
const LTR_END = 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC' + 'TAGCA';
const LINKER = 'GACTGCGTATCAGT';
const PAIRS = 4000;

/** A library simulated from the demo genome (the default scenario: UMIs, vector, mispriming). */
function demoLibrary(pairs: number, seed: number): ReadPair {
  return demoGenomeReads(pairs, seed, { scenario: 'default', umi: UMI_LENGTH });
}

/** Contig names and lengths of a plain FASTA. */
function fastaContigs(path: string): { name: string; length: number }[] {
  const contigs: { name: string; length: number }[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('>')) contigs.push({ name: line.slice(1).split(/\s+/)[0], length: 0 });
    else if (contigs.length > 0) contigs[contigs.length - 1].length += line.trim().length;
  }
  return contigs;
}

/** Every path under `root` (relative, sorted), without the subtrees in `skip`. */
function listTree(root: string, skip: string[] = [], rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (skip.includes(path)) continue;
    out.push(path);
    if (entry.isDirectory()) out.push(...listTree(root, skip, path));
  }
  return out.sort();
}

interface SamRecord {
  name: string;
  flag: number;
  contig: string;
  pos: number;
  mapq: number;
  cigar: string;
}

function samRecords(bam: string): SamRecord[] {
  const text = execFileSync('samtools', ['view', bam], { maxBuffer: 1 << 30 }).toString();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = line.split('\t');
      return {
        name: f[0],
        flag: Number(f[1]),
        contig: f[2],
        pos: Number(f[3]),
        mapq: Number(f[4]),
        cigar: f[5],
      };
    });
}

/** Reference bases an alignment covers (M, D, N, =, X). */
function referenceLength(cigar: string): number {
  let n = 0;
  for (const [, len, op] of cigar.matchAll(/(\d+)([MIDNSHP=X])/g)) {
    if ('MDN=X'.includes(op)) n += Number(len);
  }
  return n;
}

describe('genomes (e2e)', () => {
  let stack: TestStack;
  let server: FileServer;
  let served: string;
  let library: { dir: string; r1: string; r2: string };
  let goodTar: Buffer;
  let goodSha: string;
  /** The index files of the installed demo genome, as tar entries under `idx/`. */
  let indexEntries: TarEntry[];

  const refs = () => join(stack.dataDir, 'references');
  const liveWorker = () => stack.workers.find((w) => w.exitCode === null && w.signalCode === null)!;

  beforeAll(async () => {
    library = demoLibrary(PAIRS, 5);
    served = mkdtempSync(join(tmpdir(), 'qslam-e2e-tarballs-'));
    server = await new FileServer().start();
    stack = await new TestStack({
      QSLAM_WORKER_CONCURRENCY: '2',
      QSLAM_THREADS_PER_JOB: '1',
    }).start(1);
  });

  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
    if (served) rmSync(served, { recursive: true, force: true });
  });

  async function createRun(fields: Record<string, string>): Promise<string> {
    const created = await stack.createRun(fields, library.r1, library.r2);
    expect(created.status).toBe(201);
    return created.body.run_id;
  }

  const runStep = (runId: string, step: string): Promise<any> => stack.runStep(runId, step);

  function incomingLeftovers(): string[] {
    const incoming = join(refs(), '.incoming');
    return existsSync(incoming) ? readdirSync(incoming) : [];
  }

  async function postGenome(
    fields: Record<string, string>,
    files: Record<string, { path?: string; text?: string; name: string }>,
  ) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [k, f] of Object.entries(files)) {
      const blob = f.path ? new Blob([readFileSync(f.path)]) : new Blob([f.text ?? '']);
      form.append(k, blob, f.name);
    }
    return stack.request('POST', '/genomes', form);
  }

  it('refuses bad genome uploads with a 4xx naming the problem, leaving nothing behind', async () => {
    const { fasta, gtf } = demoGenomeFiles();
    const cases: Array<{
      fields: Record<string, string>;
      files: Record<string, { path?: string; text?: string; name: string }>;
      status: number;
      message: RegExp;
    }> = [
      {
        fields: { name: 'nofasta' },
        files: { annotation: { path: gtf, name: 'genes.gtf' } },
        status: 400,
        message: /fasta is required/,
      },
      {
        fields: { name: 'noannotation' },
        files: { fasta: { path: fasta, name: 'genome.fa' } },
        status: 400,
        message: /annotation is required/,
      },
      {
        fields: { name: '../escape' },
        files: {
          fasta: { path: fasta, name: 'genome.fa' },
          annotation: { path: gtf, name: 'genes.gtf' },
        },
        status: 400,
        message: /name must be 1-64 letters.*'\.\.\/escape'/,
      },
      {
        fields: { name: 'textfile' },
        files: {
          fasta: { text: 'hello\nthis is not a genome\n', name: 'genome.fa' },
          annotation: { path: gtf, name: 'genes.gtf' },
        },
        status: 422,
        message: /^fasta, line 1: /,
      },
      {
        fields: { name: 'badbases' },
        files: {
          fasta: { text: '>chr1\nACGTACGTJJJJ\n', name: 'genome.fa' },
          annotation: { path: gtf, name: 'genes.gtf' },
        },
        status: 422,
        message: /^fasta, line 2: /,
      },
      {
        fields: { name: 'badgtf' },
        files: {
          fasta: { path: fasta, name: 'genome.fa' },
          annotation: { text: 'chr1\tsrc\tgene\n', name: 'genes.gtf' },
        },
        status: 422,
        message: /^annotation, line 1: /,
      },
      {
        fields: { name: 'badvector', vector_contigs: 'nosuchcontig' },
        files: {
          fasta: { path: fasta, name: 'genome.fa' },
          annotation: { path: gtf, name: 'genes.gtf' },
        },
        status: 400,
        message: /vector_contigs: 'nosuchcontig' is not a contig of fasta/,
      },
    ];
    for (const c of cases) {
      const res = await postGenome(c.fields, c.files);
      expect({ name: c.fields.name, status: res.status, message: res.body.message }).toEqual({
        name: c.fields.name,
        status: c.status,
        message: expect.stringMatching(c.message),
      });
      expect(incomingLeftovers()).toEqual([]);
    }
    // A file field that is not one of fasta, annotation, vector.
    const stray = await postGenome(
      { name: 'stray' },
      {
        fasta: { path: fasta, name: 'genome.fa' },
        annotation: { path: gtf, name: 'genes.gtf' },
        R1: { text: '@r\nACGT\n+\nIIII\n', name: 'R1.fastq' },
      },
    );
    expect(stray.status).toBe(400);
    expect(stray.body.message).toMatch(/Unexpected file field "R1"/);
    expect(incomingLeftovers()).toEqual([]);
    // A bad name in the path.
    const badPath = await stack.get('/genomes/.hidden');
    expect(badPath.status).toBe(400);
    expect(badPath.body.message).toMatch(/name must be 1-64 letters/);
    // Not multipart at all.
    const json = await stack.post('/genomes', { name: 'x' });
    expect(json.status).toBe(400);
    expect(json.body.message).toMatch(/multipart\/form-data/);
    // Nothing was recorded, no genome directory was made.
    expect((await stack.get('/system/genomes')).body).toEqual({ genomes: [], total: 0 });
    expect(readdirSync(refs()).filter((d) => d !== '.incoming')).toEqual([]);
    for (const name of ['nofasta', 'textfile', 'badgtf']) {
      expect((await stack.get(`/genomes/${name}`)).status).toBe(404);
    }
  });

  it('indexes the demo genome through POST /genomes as a worker job, answering at once', async () => {
    const { fasta, gtf } = demoGenomeFiles();
    const form = new FormData();
    form.append('name', 'demo');
    form.append('source', 'demo');
    form.append('vector_contigs', 'vector');
    form.append('fasta', new Blob([readFileSync(fasta)]), 'genome.fa');
    form.append('annotation', new Blob([readFileSync(gtf)]), 'genes.gtf');
    const res = await stack.request('POST', '/genomes', form);
    expect(res.status).toBe(202);
    // The answer carries the job, before the index exists.
    expect(res.body.genome).toMatchObject({ name: 'demo', status: 'installing', source: 'demo' });
    expect(res.body.job).toMatchObject({ genome: 'demo', kind: 'build' });
    expect(['pending', 'running']).toContain(res.body.job.status);
    const jobId = res.body.job.job_id;

    const genome = await waitGenome(stack, 'demo', ['ready', 'failed']);
    const expected = fastaContigs(fasta);
    expect(expected.map((c) => c.name)).toEqual(['chr1', 'chr2', 'chr3', 'vector']);
    expect(genome).toMatchObject({
      name: 'demo',
      status: 'ready',
      source: 'demo',
      index_kind: 'bwa',
      index_prefix: 'index/genome.fa',
      fasta: 'index/genome.fa',
      annotation: 'index/annotation.gtf',
      vector_contigs: ['vector'],
      contig_count: 4,
      contigs: expected,
      total_length: expected.reduce((n, c) => n + c.length, 0),
      error: null,
      job: { job_id: jobId, kind: 'build', status: 'completed', exit_code: 0 },
    });
    expect(genome.disk_bytes).toBeGreaterThan(0);

    const listed = (await stack.get('/system/genomes')).body;
    expect(listed.total).toBe(1);
    expect(listed.genomes[0]).toMatchObject({
      name: 'demo',
      status: 'ready',
      index_kind: 'bwa',
      vector_contigs: ['vector'],
      contig_count: 4,
    });
    expect(listed.genomes[0].contigs).toBeUndefined();

    // The files: index, FASTA + .fai, annotation; the uploads and staging are gone.
    const dir = join(refs(), 'demo');
    for (const f of ['amb', 'ann', 'bwt', 'pac', 'sa', 'fai'])
      expect(existsSync(join(dir, 'index', `genome.fa.${f}`))).toBe(true);
    expect(readFileSync(join(dir, 'index', 'annotation.gtf')).equals(readFileSync(gtf))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['index', 'logs']);

    // The build log, through its endpoint.
    const log = await stack.get(`/genomes/demo/log`);
    expect(log.status).toBe(200);
    expect(log.body).toMatchObject({
      genome: 'demo',
      job_id: jobId,
      kind: 'build',
      status: 'completed',
    });
    expect(log.body.logs).toMatch(/\[bwa_index\]/);
    expect(log.body.logs).toMatch(/genome-verify: bwa index .*4 contigs/);
    const byUrl = await stack.get(genome.job.log_url + '&tail=1');
    expect(byUrl.status).toBe(200);
    expect(byUrl.body.logs.trim().split('\n')).toHaveLength(1);
    expect((await stack.get('/genomes/demo/log?job_id=999999')).status).toBe(404);

    // Every genome endpoint is documented.
    const doc = (await stack.get('/docs-json')).body;
    for (const path of [
      '/genomes',
      '/genomes/{name}',
      '/genomes/{name}/install',
      '/genomes/{name}/log',
      '/system/genomes',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/genomes/{name}'])).toEqual(
      expect.arrayContaining(['get', 'delete']),
    );

    // A second genome of that name is refused.
    const again = await postGenome(
      { name: 'demo' },
      { fasta: { path: fasta, name: 'g.fa' }, annotation: { path: gtf, name: 'g.gtf' } },
    );
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/Genome demo already exists \(ready\)/);
    expect(incomingLeftovers()).toEqual([]);

    // The tarball the install tests serve: this index, as a lab would pack it.
    const tarDir = join(served, 'packed');
    mkdirSync(join(tarDir, 'demo-index'), { recursive: true });
    for (const f of readdirSync(join(dir, 'index')).filter((f) => !f.startsWith('.'))) {
      writeFileSync(join(tarDir, 'demo-index', f), readFileSync(join(dir, 'index', f)));
    }
    const tarPath = join(served, 'demo-index.tar.gz');
    execFileSync('tar', ['-czf', tarPath, '-C', tarDir, 'demo-index']);
    goodTar = readFileSync(tarPath);
    goodSha = createHash('sha256').update(goodTar).digest('hex');
    indexEntries = readdirSync(join(tarDir, 'demo-index')).map((f) => ({
      name: `idx/${f}`,
      data: readFileSync(join(tarDir, 'demo-index', f)),
    }));
  });

  it('builds a genome from a gzipped FASTA, a separate vector FASTA and a gzipped GTF', async () => {
    const { fasta, gtf } = demoGenomeFiles();
    const text = readFileSync(fasta, 'utf8');
    const at = text.indexOf('>vector');
    const dir = join(served, 'split');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'host.fa.gz'), gzipSync(text.slice(0, at)));
    writeFileSync(join(dir, 'vector.fa'), text.slice(at));
    writeFileSync(join(dir, 'genes.gtf.gz'), gzipSync(readFileSync(gtf)));
    // A vector contig that is also a host contig is refused.
    const clash = await postGenome(
      { name: 'clash' },
      {
        fasta: { path: join(dir, 'host.fa.gz'), name: 'host.fa.gz' },
        annotation: { path: join(dir, 'genes.gtf.gz'), name: 'genes.gtf.gz' },
        vector: { text: '>chr2\nACGTACGTACGT\n', name: 'vector.fa' },
      },
    );
    expect(clash.status).toBe(422);
    expect(clash.body.message).toBe("vector: contig 'chr2' is also a contig of fasta");
    expect(incomingLeftovers()).toEqual([]);
    expect(existsSync(join(refs(), 'clash'))).toBe(false);

    const res = await postGenome(
      { name: 'withvector' },
      {
        fasta: { path: join(dir, 'host.fa.gz'), name: 'host.fa.gz' },
        annotation: { path: join(dir, 'genes.gtf.gz'), name: 'genes.gtf.gz' },
        vector: { path: join(dir, 'vector.fa'), name: 'vector.fa' },
      },
    );
    expect(res.status).toBe(202);
    expect(res.body.genome).toMatchObject({ source: 'upload', vector_contigs: ['vector'] });
    const genome = await waitGenome(stack, 'withvector', ['ready', 'failed']);
    expect(genome).toMatchObject({
      status: 'ready',
      index_kind: 'bwa',
      fasta: 'index/genome.fa',
      annotation: 'index/annotation.gtf.gz',
      vector_contigs: ['vector'],
      contigs: fastaContigs(fasta),
    });
    // The index FASTA is the host FASTA with the vector appended, uncompressed.
    expect(readFileSync(join(refs(), 'withvector', 'index', 'genome.fa'), 'utf8')).toBe(text);
    expect((await stack.delete('/genomes/withvector')).status).toBe(200);
  });

  it('refuses read_mapping with a 409 naming the genome and how to add it when it is missing', async () => {
    const runId = await createRun({ name: 'no genome', genome: 'mm10' });
    const res = await stack.post(`/runs/${runId}/read_mapping`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^Genome mm10 is not installed\./);
    expect(res.body.message).toContain('POST /genomes (multipart: name, fasta, annotation)');
    expect(res.body.message).toContain('POST /genomes/mm10/install {"tar_url": ...}');
    expect(res.body.message).toContain('genome_tar_url');
    expect(res.body.details).toMatchObject({ genome: 'mm10', status: null });
    // No job was created.
    const status = (await stack.get(`/runs/${runId}/status`)).body;
    expect(status.step_history.map((j: any) => j.step_name)).toEqual(['upload']);

    // A run without any genome names the parameter.
    const none = await createRun({ name: 'genome unset' });
    const unset = await stack.post(`/runs/${none}/read_mapping`);
    expect(unset.status).toBe(409);
    expect(unset.body.message).toMatch(/has no genome: set the run parameter genome/);
  });

  it('maps simulated reads: sorted indexed BAM, site-derived pairs mapped and properly paired, UMIs kept', async () => {
    const runId = await createRun({
      name: 'mapping',
      genome: 'demo',
      umi_read: 'R2',
      umi_pattern: 'N'.repeat(UMI_LENGTH),
      r1_min_overlap: '20',
    });
    await runStep(runId, 'umi');
    await runStep(runId, 'cutadapt');
    const results = await runStep(runId, 'read_mapping');
    const ws = join(stack.dataDir, 'runs', runId);
    const bam = join(ws, 'bwa', 'aligned.sorted.bam');
    for (const f of ['aligned.sorted.bam', 'aligned.sorted.bam.bai', 'aligned.stat'])
      expect(existsSync(join(ws, 'bwa', f))).toBe(true);
    expect(
      readdirSync(ws).some((d) => d === '.staging' && readdirSync(join(ws, d)).length > 0),
    ).toBe(false);
    // It read the end of the chain (cutadapt's output).
    expect(results.inputs.map((f: any) => [f.path, f.producer_step])).toEqual([
      ['cutPrimer/R1.fastq.gz', 'cutadapt'],
      ['cutPrimer/R2.fastq.gz', 'cutadapt'],
    ]);
    // Sorted by coordinate, and the index answers a region query.
    const header = execFileSync('samtools', ['view', '-H', bam]).toString();
    expect(header).toMatch(/^@HD.*SO:coordinate/m);
    expect(
      execFileSync('samtools', ['view', '-c', bam, 'chr1:1-300000']).toString().trim(),
    ).not.toBe('0');

    // bwa mem with the slot's threads, piped straight into samtools sort: no SAM on disk.
    const jobId = results.job.job_id ?? results.job.id;
    const script = JSON.parse(readFileSync(join(ws, 'logs', `read_mapping.${jobId}.json`), 'utf8'));
    const pipe = script.commands.find((c: any[]) => c.length === 2 && c[0].argv[0] === 'bwa');
    expect(pipe[0].argv.slice(0, 4)).toEqual(['bwa', 'mem', '-t', '1']);
    expect(pipe[0].stdoutFile).toBeUndefined();
    expect(pipe[1].argv.slice(0, 2)).toEqual(['samtools', 'sort']);
    expect(pipe[1].argv.at(-1)).toBe('-');
    expect(listTree(ws).filter((p) => /\.sam$/.test(p))).toEqual([]);
    const log = (await stack.get(`/runs/${runId}/read_mapping/logs`)).body.logs;
    expect(log).toMatch(/\[main\] CMD: bwa mem -t 1 /);

    const records = samRecords(bam);
    const primaryR1 = records.filter((r) => (r.flag & 0x40) !== 0 && (r.flag & 0x900) === 0);
    // Read names keep their UMI suffix (and nothing else of the FASTQ comment).
    const namePattern = new RegExp(`^sim\\d+:(\\d+|vector|mispriming)_[ACGTN]{${UMI_LENGTH}}$`);
    expect(records.filter((r) => !namePattern.test(r.name)).map((r) => r.name)).toEqual([]);

    // Site-derived pairs: the simulator names them sim{i}:{truth row}. Its "short host"
    // fragments (8-19 bp of host DNA between the LTR and the linker, sim-types.ts: "too short to
    // map") cannot be placed by any aligner; they are recognised in the raw R1 by where the
    // linker starts (R1 = primer + TAGCA + host + rc(linker) + rc(UMI)) and counted apart.
    const truth = readFileSync(join(library.dir, 'truth.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    const hostLength = new Map<string, number>();
    for (const read of readFastq(library.r1)) {
      const linker = read.seq.indexOf(reverseComplement(LINKER));
      if (/:\d+$/.test(read.name)) {
        hostLength.set(read.name, linker < 0 ? Infinity : linker - LTR_END.length);
      }
    }
    const rawName = (r: SamRecord) => r.name.slice(0, -(UMI_LENGTH + 1));
    const siteDerived = primaryR1.filter((r) => hostLength.has(rawName(r)));
    const sitePairs = siteDerived.filter((r) => hostLength.get(rawName(r))! >= 20);
    expect(sitePairs.length).toBeGreaterThan(PAIRS * 0.8);
    expect(siteDerived.length - sitePairs.length).toBeLessThan(siteDerived.length * 0.1);
    const good = sitePairs.filter(
      (r) => (r.flag & 0x4) === 0 && (r.flag & 0x8) === 0 && (r.flag & 0x2) !== 0,
    );
    expect(good.length / sitePairs.length).toBeGreaterThanOrEqual(0.95);
    // ... and mapped to their site: the 5' end of R1 within 3 bp of the junction (unique sites).
    const unique = good.filter((r) => truth[Number(/:(\d+)_/.exec(r.name)![1])][7] === '0');
    const atSite = unique.filter((r) => {
      const [chrom, position, strand] = truth[Number(/:(\d+)_/.exec(r.name)![1])];
      const reverse = (r.flag & 0x10) !== 0;
      const fivePrime = reverse ? r.pos + referenceLength(r.cigar) - 1 : r.pos;
      return (
        r.contig === chrom &&
        (reverse ? '-' : '+') === strand &&
        Math.abs(fivePrime - Number(position)) <= 3
      );
    });
    expect(atSite.length / unique.length).toBeGreaterThanOrEqual(0.95);

    // The summary agrees with samtools on the BAM.
    const count = (...args: string[]) =>
      Number(
        execFileSync('samtools', ['view', '-c', ...args, bam])
          .toString()
          .trim(),
      );
    const primary = count('-F', '0x900');
    const mapped = count('-F', '0x904');
    const proper = count('-f', '0x2', '-F', '0x900');
    const onVector = records.filter((r) => r.contig === 'vector' && (r.flag & 0x904) === 0).length;
    const s = results.summary;
    expect(s).toMatchObject({
      genome: 'demo',
      aligner: {
        name: 'bwa',
        version: /Version: (\S+)/.exec(spawnSync('bwa', [], { encoding: 'utf8' }).stderr)![1],
      },
      reads: primary,
      mapped,
      properly_paired: proper,
      vector: { contigs: ['vector'], reads: onVector },
    });
    expect(s.pairs).toBe(primary / 2);
    expect(s.mapped_pct).toBeCloseTo((100 * mapped) / primary, 1);
    expect(s.properly_paired_pct).toBeCloseTo((100 * proper) / primary, 1);
    expect(onVector).toBeGreaterThan(0);
    expect(s.mapq.reads).toBe(mapped);
    expect(Object.values(s.mapq.bins).reduce((a: number, b: any) => a + b, 0)).toBe(mapped);
    expect(s.mapq.bins['>=40']).toBeGreaterThan(mapped / 2);
    expect(s.mapq.median).toBe(60);
    // Reads of the sites in segmental duplications cannot be placed (MAPQ 0).
    expect(s.mapq.bins['0']).toBeGreaterThan(0);
    expect(typeof s.mapq.mean).toBe('number');
    const perContig = Object.fromEntries(s.contigs.map((c: any) => [c.contig, c.reads]));
    for (const contig of ['chr1', 'chr2', 'chr3', 'vector']) {
      expect(perContig[contig]).toBe(
        records.filter((r) => r.contig === contig && (r.flag & 0x904) === 0).length,
      );
    }
    expect(s.files).toMatchObject({
      bam: 'bwa/aligned.sorted.bam',
      bai: 'bwa/aligned.sorted.bam.bai',
      flagstat: 'bwa/aligned.stat',
    });
    const listed = results.files.map((f: any) => f.path);
    expect(listed).toEqual(
      expect.arrayContaining([
        'bwa/aligned.sorted.bam',
        'bwa/aligned.sorted.bam.bai',
        'bwa/aligned.stat',
      ]),
    );
    // The BAM downloads through the files endpoint.
    const download = await stack.get(`/runs/${runId}/files/bwa/aligned.stat`);
    expect(download.status).toBe(200);
    expect(String(download.body)).toMatch(/properly paired/);
  });

  it('installs a genome from a tarball served on 127.0.0.1, checking sha256', async () => {
    const url = server.serve('/demo-index.tar.gz', { data: goodTar });
    const bad = await stack.post('/genomes/tarred/install', { tar_url: 'ftp://127.0.0.1/x.tar' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/only http and https/);
    const badSha = await stack.post('/genomes/tarred/install', { tar_url: url, sha256: 'abc' });
    expect(badSha.status).toBe(400);
    expect(JSON.stringify(badSha.body.message)).toMatch(/sha256 must be 64 hexadecimal digits/);
    const badName = await stack.post('/genomes/..%2Fx/install', { tar_url: url });
    expect([400, 404]).toContain(badName.status);
    expect(existsSync(join(refs(), 'tarred'))).toBe(false);

    const res = await stack.post('/genomes/tarred/install', {
      tar_url: url,
      sha256: goodSha.toUpperCase(),
    });
    expect(res.status).toBe(202);
    expect(res.body.genome).toMatchObject({
      name: 'tarred',
      status: 'installing',
      source: 'tarball',
    });
    expect(res.body.job).toMatchObject({ kind: 'install', tar_url: url });
    const genome = await waitGenome(stack, 'tarred', ['ready', 'failed']);
    const demo = (await stack.get('/genomes/demo')).body;
    expect(genome).toMatchObject({
      status: 'ready',
      source: 'tarball',
      tar_url: url,
      sha256: goodSha,
      index_kind: 'bwa',
      index_prefix: 'index/demo-index/genome.fa',
      fasta: 'index/demo-index/genome.fa',
      annotation: 'index/demo-index/annotation.gtf',
      vector_contigs: ['vector'],
      contigs: demo.contigs,
      error: null,
    });
    expect(server.wholeDownloads('/demo-index.tar.gz')).toBe(1);
    const log = (await stack.get('/genomes/tarred/log')).body;
    expect(log).toMatchObject({ kind: 'install', status: 'completed' });
    expect(log.logs).toMatch(/download: complete, .* \(sha256 [0-9a-f]{64}\)/);
    expect(log.logs).toMatch(/safe-extract: \d+ members/);
    // The download is gone once installed.
    expect(existsSync(join(refs(), 'tarred', '.download', 'archive'))).toBe(false);
    // Installing again is a 409.
    const again = await stack.post('/genomes/tarred/install', { tar_url: url });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already installed/);
  });

  it('fails an install whose tarball does not match the sha256, saying so', async () => {
    const url = server.serve('/mismatch.tar.gz', { data: goodTar });
    const wrong = 'ab'.repeat(32);
    const res = await stack.post('/genomes/wrongsha/install', { tar_url: url, sha256: wrong });
    expect(res.status).toBe(202);
    const genome = await waitGenome(stack, 'wrongsha', ['ready', 'failed']);
    expect(genome.status).toBe('failed');
    expect(genome.error).toContain(`sha256 mismatch for ${url}: expected ${wrong}, got ${goodSha}`);
    expect(genome.job).toMatchObject({ status: 'failed', exit_code: 1 });
    const dir = join(refs(), 'wrongsha');
    expect(existsSync(join(dir, 'index'))).toBe(false);
    expect(readdirSync(dir).filter((d) => d.startsWith('.staging'))).toEqual([]);
    const download = join(dir, '.download');
    expect(existsSync(download) ? readdirSync(download) : []).toEqual([]);
    // A run on it gets the 409 with the reason.
    const runId = await createRun({ name: 'on failed genome', genome: 'wrongsha' });
    const refused = await stack.post(`/runs/${runId}/read_mapping`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(
      /^Genome wrongsha failed to install \(.*sha256 mismatch.*\)\. Add it with POST \/genomes/s,
    );
  });

  it('resumes an interrupted download with a range request', async () => {
    const path = '/interrupted.tar.gz';
    const url = server.serve(path, {
      data: goodTar,
      dropFirstAfter: Math.floor(goodTar.length / 3),
    });
    const res = await stack.post('/genomes/resumed/install', { tar_url: url, sha256: goodSha });
    expect(res.status).toBe(202);
    const genome = await waitGenome(stack, 'resumed', ['ready', 'failed']);
    expect({ status: genome.status, error: genome.error }).toEqual({
      status: 'ready',
      error: null,
    });
    expect(server.wholeDownloads(path)).toBe(1);
    expect(server.gets(path).map((r) => r.range)).toEqual([
      null,
      `bytes=${Math.floor(goodTar.length / 3)}-`,
    ]);
    const log = (await stack.get('/genomes/resumed/log')).body.logs;
    expect(log).toMatch(/retry 1 of 3/);
    expect(log).toMatch(/resuming at/);
    expect((await stack.delete('/genomes/resumed')).status).toBe(200);
  });

  it('fails an install whose URL answers 404, or whose tarball holds no index, saying so', async () => {
    const missing = server.serve('/missing.tar.gz', { data: Buffer.alloc(0), status: 404 });
    const noIndexFile = join(served, 'noindex.tar.gz');
    writeTarGz(noIndexFile, [
      { name: 'idx/', typeflag: '5' },
      { name: 'idx/README', data: 'just a readme\n' },
    ]);
    const noIndex = server.serve('/noindex.tar.gz', { data: readFileSync(noIndexFile) });
    expect((await stack.post('/genomes/gone/install', { tar_url: missing })).status).toBe(202);
    expect((await stack.post('/genomes/empty/install', { tar_url: noIndex })).status).toBe(202);
    const gone = await waitGenome(stack, 'gone', ['ready', 'failed']);
    expect(gone.status).toBe('failed');
    expect(gone.error).toContain(`HTTP 404 Not Found for ${missing}`);
    const empty = await waitGenome(stack, 'empty', ['ready', 'failed']);
    expect(empty.status).toBe('failed');
    expect(empty.error).toMatch(/no complete aligner index found/);
    expect(existsSync(join(refs(), 'empty', 'index'))).toBe(false);
    // A failed genome can be installed again (same name, new job).
    const retry = await stack.post('/genomes/empty/install', {
      tar_url: server.serve('/retry.tar.gz', { data: goodTar }),
    });
    expect(retry.status).toBe(202);
    expect(retry.body.job.job_id).not.toBe(empty.job.job_id);
    expect((await waitGenome(stack, 'empty', ['ready', 'failed'])).status).toBe('ready');
    for (const name of ['gone', 'empty'])
      expect((await stack.delete(`/genomes/${name}`)).status).toBe(200);
  });

  it("installs a run's genome_tar_url before read_mapping runs", async () => {
    const url = server.serve('/for-run.tar.gz', { data: goodTar });
    const runId = await createRun({ name: 'tar url', genome: 'fromrun', genome_tar_url: url });
    expect((await stack.get('/genomes/fromrun')).status).toBe(404);
    const results = await runStep(runId, 'read_mapping');
    const genome = (await stack.get('/genomes/fromrun')).body;
    expect(genome).toMatchObject({
      status: 'ready',
      source: 'tarball',
      tar_url: url,
      job: { kind: 'install', status: 'completed', requested_by_run: runId },
    });
    expect(server.wholeDownloads('/for-run.tar.gz')).toBe(1);
    expect(results.summary).toMatchObject({ genome: 'fromrun', aligner: { name: 'bwa' } });
    expect(results.summary.mapped).toBeGreaterThan(0);
    // Raw reads (primers still on) are mapped too, as the end of an empty chain.
    expect(results.inputs.map((f: any) => f.path)).toEqual([
      'rawdata/R1.fastq.gz',
      'rawdata/R2.fastq.gz',
    ]);
    const logs = (await stack.get(`/runs/${runId}/read_mapping/logs`)).body.logs;
    expect(logs).toMatch(/genome fromrun is ready|waiting for genome fromrun/);
  });

  it('refuses tarballs with ../x, an absolute path or a symlink out, writing nothing outside', async () => {
    const bait = mkdtempSync(join(tmpdir(), 'qslam-e2e-bait-'));
    try {
      const tarballs: Record<string, { entries: TarEntry[]; reason: RegExp }> = {
        dotdot: {
          entries: [...indexEntries, { name: '../x', data: 'escaped\n' }],
          reason: /member '\.\.\/x' has a '\.\.' component in its path/,
        },
        deepdotdot: {
          entries: [...indexEntries, { name: 'idx/../../../../x', data: 'escaped\n' }],
          reason: /has a '\.\.' component in its path/,
        },
        absolute: {
          entries: [...indexEntries, { name: `${bait}/absolute.txt`, data: 'escaped\n' }],
          reason: /has an absolute path/,
        },
        symlinkabs: {
          entries: [
            ...indexEntries,
            { name: 'idx/out', typeflag: '2', linkName: bait },
            { name: 'idx/out/through-absolute.txt', data: 'escaped\n' },
          ],
          reason: new RegExp(`member 'idx/out' is a symbolic link to '${bait}', outside`),
        },
        symlinkrel: {
          entries: [
            ...indexEntries,
            { name: 'idx/up', typeflag: '2', linkName: '../../../../../../../..' + bait },
            { name: 'idx/up/through-relative.txt', data: 'escaped\n' },
          ],
          reason: /member 'idx\/up' is a symbolic link to '.*', outside the destination/,
        },
        hardlink: {
          entries: [...indexEntries, { name: 'idx/hard', typeflag: '1', linkName: '/etc/passwd' }],
          reason: /member 'idx\/hard' is a hard link to the absolute path '\/etc\/passwd'/,
        },
      };
      const names = Object.keys(tarballs);
      const outside = () =>
        listTree(
          stack.dataDir,
          names.map((n) => `references/${n}`),
        );
      const before = outside();
      for (const [name, t] of Object.entries(tarballs)) {
        const file = join(served, `${name}.tar.gz`);
        writeTarGz(file, t.entries);
        const url = server.serve(`/${name}.tar.gz`, { data: readFileSync(file) });
        const res = await stack.post(`/genomes/${name}/install`, { tar_url: url });
        expect(res.status).toBe(202);
      }
      for (const [name, t] of Object.entries(tarballs)) {
        const genome = await waitGenome(stack, name, ['ready', 'failed']);
        expect({ name, status: genome.status, error: genome.error }).toEqual({
          name,
          status: 'failed',
          error: expect.stringMatching(t.reason),
        });
        expect(genome.error).toMatch(/refusing to extract/);
        // Inside the genome directory: only its logs (no index, no staging, no download).
        const dir = join(refs(), name);
        expect({ name, tree: listTree(dir).filter((p) => !p.startsWith('logs')) }).toEqual({
          name,
          tree: existsSync(join(dir, '.download')) ? ['.download'] : [],
        });
      }
      // Outside the genome directories nothing changed, and nothing reached the bait.
      expect(outside()).toEqual(before);
      expect(readdirSync(bait)).toEqual([]);
      for (const p of [join(refs(), 'x'), join(stack.dataDir, 'x'), join(tmpdir(), 'x')]) {
        expect({ p, exists: existsSync(p) && readFileSync(p, 'utf8') === 'escaped\n' }).toEqual({
          p,
          exists: false,
        });
      }
    } finally {
      rmSync(bait, { recursive: true, force: true });
    }
  });

  it('downloads once for two runs that need the same uninstalled genome at once', async () => {
    const path = '/shared.tar.gz';
    const url = server.serve(path, { data: goodTar, slowMs: 3000 });
    const a = await createRun({ name: 'shared A', genome: 'shared', genome_tar_url: url });
    const b = await createRun({ name: 'shared B', genome: 'shared', genome_tar_url: url });
    const [sa, sb] = await Promise.all([
      stack.post(`/runs/${a}/read_mapping`),
      stack.post(`/runs/${b}/read_mapping`),
    ]);
    expect([sa.status, sb.status]).toEqual([202, 202]);
    // While the download runs, the genome cannot be deleted (its install job uses it).
    const installing = (await stack.get('/genomes/shared')).body;
    expect(installing.status).toBe('installing');
    const refused = await stack.delete('/genomes/shared');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(
      new RegExp(`Genome shared is in use: genome job ${installing.job.job_id} \\(install\\)`),
    );
    const [ja, jb] = await Promise.all([
      stack.waitJob(a, sa.body.job_id, ['completed', 'failed', 'killed']),
      stack.waitJob(b, sb.body.job_id, ['completed', 'failed', 'killed']),
    ]);
    expect([ja.status, jb.status]).toEqual(['completed', 'completed']);
    expect(server.gets(path)).toHaveLength(1);
    expect(server.wholeDownloads(path)).toBe(1);
    const genome = (await stack.get('/genomes/shared')).body;
    expect(genome).toMatchObject({ status: 'ready', job: { job_id: installing.job.job_id } });
    expect([a, b]).toContain(genome.job.requested_by_run);
  });

  it('kills a read_mapping job waiting for its genome; the shared install goes on', async () => {
    const url = server.serve('/slowkill.tar.gz', { data: goodTar, slowMs: 3000 });
    const runId = await createRun({ name: 'kill wait', genome: 'slowkill', genome_tar_url: url });
    const started = await stack.post(`/runs/${runId}/read_mapping`);
    expect(started.status).toBe(202);
    await waitFor(
      async () =>
        (await stack.get(`/runs/${runId}/read_mapping/logs`)).body.logs.includes(
          'waiting for genome slowkill',
        ),
      'the job to wait for its genome',
    );
    const killed = await stack.delete(`/runs/${runId}/kill`);
    expect(killed.status).toBe(200);
    const job = await stack.waitJob(runId, started.body.job_id, ['completed', 'failed', 'killed']);
    expect(job.status).toBe('killed');
    expect((await waitGenome(stack, 'slowkill', ['ready', 'failed'])).status).toBe('ready');
    expect(server.wholeDownloads('/slowkill.tar.gz')).toBe(1);
    // Starting again uses the installed genome, with no second download.
    await runStep(runId, 'read_mapping');
    expect(server.wholeDownloads('/slowkill.tar.gz')).toBe(1);
  });

  it('downloads once for two concurrent install requests: one 202, one 409', async () => {
    const path = '/twice.tar.gz';
    const url = server.serve(path, { data: goodTar, slowMs: 1000 });
    const answers = await Promise.all([
      stack.post('/genomes/twice/install', { tar_url: url }),
      stack.post('/genomes/twice/install', { tar_url: url }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409]);
    const accepted = answers.find((r) => r.status === 202)!;
    const conflict = answers.find((r) => r.status === 409)!;
    expect(conflict.body.message).toBe(
      `Genome twice is already being installed by genome job ${accepted.body.job.job_id}.`,
    );
    expect((await waitGenome(stack, 'twice', ['ready', 'failed'])).status).toBe('ready');
    expect(server.wholeDownloads(path)).toBe(1);
  });

  it('fails a read_mapping job waiting for a genome whose install fails, naming the reason', async () => {
    const url = server.serve('/vanished.tar.gz', { data: Buffer.alloc(0), status: 404 });
    const runId = await createRun({
      name: 'install fails',
      genome: 'vanished',
      genome_tar_url: url,
    });
    const started = await stack.post(`/runs/${runId}/read_mapping`);
    expect(started.status).toBe(202);
    const job = await stack.waitJob(runId, started.body.job_id, ['completed', 'failed', 'killed']);
    expect(job.status).toBe('failed');
    expect(job.error_message).toMatch(/^genome vanished failed to install: .*HTTP 404 Not Found/s);
    expect((await stack.get('/genomes/vanished')).body.status).toBe('failed');
    // Nothing of a BAM was presented as a result.
    expect(readdirSync(join(stack.dataDir, 'runs', runId, 'bwa'))).toEqual([]);
    expect((await stack.get(`/runs/${runId}/results/read_mapping`)).body.summary ?? null).toBe(
      null,
    );
    expect((await stack.delete('/genomes/vanished')).status).toBe(200);
  });

  it('a failing aligner fails read_mapping and leaves no half BAM as a result', async () => {
    // A tarball whose index passes the file check but that bwa cannot load (a truncated .bwt).
    const broken = indexEntries.map((e) =>
      e.name.endsWith('.bwt') ? { ...e, data: Buffer.from('truncated\n') } : e,
    );
    const file = join(served, 'broken.tar.gz');
    writeTarGz(file, broken);
    const url = server.serve('/broken.tar.gz', { data: readFileSync(file) });
    const runId = await createRun({ name: 'broken index', genome: 'broken', genome_tar_url: url });
    const started = await stack.post(`/runs/${runId}/read_mapping`);
    expect(started.status).toBe(202);
    const job = await stack.waitJob(runId, started.body.job_id, ['completed', 'failed', 'killed']);
    expect((await stack.get('/genomes/broken')).body.status).toBe('ready');
    expect(job.status).toBe('failed');
    expect(job.error_message).toMatch(
      /^read_mapping exited with status 1\..*Unexpected end of file/s,
    );
    const ws = join(stack.dataDir, 'runs', runId);
    expect(readdirSync(join(ws, 'bwa'))).toEqual([]);
    expect(existsSync(join(ws, 'results', 'read_mapping.json'))).toBe(false);
    expect(listTree(ws).filter((p) => p.includes('.staging/'))).toEqual([]);
    const results = (await stack.get(`/runs/${runId}/results/read_mapping`)).body;
    expect(results.summary ?? null).toBe(null);
    expect((await stack.delete('/genomes/broken')).status).toBe(200);
  });

  it('a download survives a worker crash: the next worker adopts it, still one download', async () => {
    const path = '/adopted.tar.gz';
    const url = server.serve(path, { data: goodTar, slowMs: 4000 });
    const res = await stack.post('/genomes/adopted/install', { tar_url: url, sha256: goodSha });
    expect(res.status).toBe(202);
    const part = join(refs(), 'adopted', '.download', 'archive.part');
    await waitFor(async () => existsSync(part) && statSync(part).size > 0, 'the download to start');
    await stack.killWorker(liveWorker(), 'SIGKILL');
    await stack.startWorker();
    const genome = await waitGenome(stack, 'adopted', ['ready', 'failed']);
    expect({ status: genome.status, error: genome.error }).toEqual({
      status: 'ready',
      error: null,
    });
    expect(genome.job.job_id).toBe(res.body.job.job_id);
    expect(server.gets(path)).toHaveLength(1);
    expect((await stack.delete('/genomes/adopted')).status).toBe(200);
  });

  it('a download lost with its worker fails the genome; installing again resumes it', async () => {
    const path = '/lost.tar.gz';
    const url = server.serve(path, { data: goodTar, slowMs: 8000 });
    const first = await stack.post('/genomes/lost/install', { tar_url: url, sha256: goodSha });
    expect(first.status).toBe(202);
    const part = join(refs(), 'lost', '.download', 'archive.part');
    await waitFor(
      async () => existsSync(part) && statSync(part).size > goodTar.length / 4,
      'part of the download',
    );
    // Worker and job both gone (a host crash): no exit status is ever written.
    const pidFile = join(refs(), 'lost', 'logs', `install.${first.body.job.job_id}.pid`);
    const pgid = Number(JSON.parse(readFileSync(pidFile, 'utf8')).pid);
    await stack.killWorker(liveWorker(), 'SIGKILL');
    process.kill(-pgid, 'SIGKILL');
    await waitFor(async () => processesInGroup(pgid).length === 0, 'the job group to end');
    const kept = statSync(part).size;
    await stack.startWorker();
    const failed = await waitGenome(stack, 'lost', ['ready', 'failed']);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/worker lost/);
    expect(statSync(part).size).toBe(kept);

    const again = await stack.post('/genomes/lost/install', { tar_url: url, sha256: goodSha });
    expect(again.status).toBe(202);
    const genome = await waitGenome(stack, 'lost', ['ready', 'failed']);
    expect({ status: genome.status, error: genome.error }).toEqual({
      status: 'ready',
      error: null,
    });
    expect(server.wholeDownloads(path)).toBe(1);
    expect(server.gets(path).map((r) => r.range)).toEqual([null, `bytes=${kept}-`]);
    expect((await stack.get('/genomes/lost/log')).body.logs).toMatch(/resuming at/);
    expect((await stack.delete('/genomes/lost')).status).toBe(200);
  });

  it('DELETE /genomes/{name} refuses while a queued job uses it, and succeeds otherwise', async () => {
    const runId = await createRun({ name: 'delete guard', genome: 'demo' });
    // No worker: the read_mapping job stays queued.
    await stack.killWorker(liveWorker(), 'SIGTERM');
    const started = await stack.post(`/runs/${runId}/read_mapping`);
    expect(started.status).toBe(202);
    const refused = await stack.delete('/genomes/demo');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(
      `Genome demo is in use: job ${started.body.job_id} (read_mapping) of run ${runId} is ` +
        'pending. Wait for it to end or kill it, then delete again.',
    );
    expect((await stack.get('/genomes/demo')).body.status).toBe('ready');
    expect(existsSync(join(refs(), 'demo', 'index'))).toBe(true);

    await stack.startWorker();
    const job = await stack.waitJob(runId, started.body.job_id, ['completed', 'failed', 'killed']);
    expect(job.status).toBe('completed');

    const deleted = await stack.delete('/genomes/demo');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ message: 'Genome demo deleted', name: 'demo' });
    expect(existsSync(join(refs(), 'demo'))).toBe(false);
    expect(readdirSync(refs()).filter((d) => d.startsWith('.trash'))).toEqual([]);
    expect((await stack.get('/genomes/demo')).status).toBe(404);
    expect((await stack.get('/system/genomes')).body.genomes.map((g: any) => g.name)).not.toContain(
      'demo',
    );
    expect((await stack.delete('/genomes/demo')).status).toBe(404);
    // A failed genome can be deleted as well.
    expect((await stack.delete('/genomes/wrongsha')).status).toBe(200);
    // And the run now gets the 409 of a missing genome.
    const again = await stack.post(`/runs/${runId}/read_mapping`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/^Genome demo is not installed/);
  });

  it('the helper installDemoGenome installs the demo genome again after a delete', async () => {
    const genome = await installDemoGenome(stack);
    expect(genome).toMatchObject({ name: 'demo', status: 'ready', vector_contigs: ['vector'] });
  });
});

describe('npm run serve (the start command) installs the demo genome (e2e)', () => {
  const SERVE = resolve(__dirname, '../dist/apps/api/scripts/serve.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'qslam-e2e-serve-'));
  const prefix = `qslam-test-serve-${process.pid}`;

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function serve(extra: Record<string, string> = {}, dir = dataDir, queue = prefix) {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVE], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        QSLAM_DATA_DIR: dir,
        QSLAM_QUEUE_PREFIX: queue,
        QSLAM_HEARTBEAT_MS: '500',
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c.toString()));
    child.stderr!.on('data', (c: Buffer) => out.push(c.toString()));
    const url = `http://127.0.0.1:${port}`;
    const get = async (path: string) => {
      const res = await fetch(url + path);
      return { status: res.status, body: (await res.json()) as any };
    };
    const output = () => out.join('');
    const stop = async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    };
    return { get, output, stop };
  }

  it('adds the demo genome once the API answers, not again on the next start', async () => {
    const first = await serve();
    try {
      await waitFor(
        async () => first.output().includes('[serve] genome demo is ready'),
        'the demo genome',
        120_000,
        () => first.output(),
      );
      expect(first.output()).toContain('[serve] installing the demo genome');
      const genome = (await first.get('/genomes/demo')).body;
      expect(genome).toMatchObject({
        name: 'demo',
        status: 'ready',
        source: 'demo',
        index_kind: 'bwa',
        vector_contigs: ['vector'],
        contig_count: 4,
      });
      expect(genome.annotation).toBe('index/annotation.gtf');
    } finally {
      await first.stop();
    }
    const second = await serve();
    try {
      await waitFor(
        async () => second.output().includes('[serve] genome demo is ready'),
        'the demo genome check',
        60_000,
        () => second.output(),
      );
      expect(second.output()).not.toContain('installing the demo genome');
      expect((await second.get('/system/genomes')).body.total).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('skips the demo genome with QSLAM_DEMO_GENOME=0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qslam-e2e-serve0-'));
    const server = await serve({ QSLAM_DEMO_GENOME: '0' }, dir, `${prefix}-skip`);
    try {
      await waitFor(
        async () => server.output().includes('demo genome: skipped (QSLAM_DEMO_GENOME=0)'),
        'the skip message',
        60_000,
        () => server.output(),
      );
      await waitFor(async () => {
        try {
          return (await server.get('/health')).status === 200;
        } catch {
          return false;
        }
      }, 'the API');
      expect((await server.get('/system/genomes')).body).toEqual({ genomes: [], total: 0 });
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
