/**
 * The input of the site-analysis speed benchmark: a sorted, indexed BAM of simulated qsLAM-PCR
 * read pairs on the demo genome, made the way the pipeline makes it, and cached because bwa on
 * 1M pairs takes minutes on two cores.
 *
 *   demo genome (writeDemoGenome)       genome/genome.fa, genes.gtf, vector_contigs.txt
 *   simulator on its chromosomes        reads/R1.fastq.gz, R2.fastq.gz, truth.tsv
 *   umi step tool (umi-cli, UMI on R2)  umi/R1.fastq.gz, R2.fastq.gz (UMI in the read names)
 *   cutadapt, the pipeline's 2 passes   cutPrimer/R1.fastq.gz, R2.fastq.gz (run defaults)
 *   bwa index; bwa mem | samtools sort  bwa/aligned.sorted.bam (+ .bai)
 *
 * The cache directory is keyed by every option that changes the data; each stage writes under a
 * temporary name or a marker file and is skipped when its result exists, so an interrupted build
 * resumes. The simulator is called as a library because its CLI draws a genome of its own (it
 * has no option for a given FASTA); reads are drawn on the demo genome's host chromosomes only
 * (none on the vector contig).
 *
 * With `scenario` (the accuracy benchmark) the library is one of the simulator's ready-made
 * scenarios (sim-scenarios.ts) on the whole demo genome: reads into the vector contig and sites in
 * its duplicated segments included, the scenario's sites and UMI length (no umi stage when it has
 * none). `params` overrides run parameters of the cutadapt and fastp command lines (e.g.
 * r1_min_overlap 20), and `fastp` adds the pipeline's fastp step after cutadapt.
 * `divergence` (scenarios only) substitutes that fraction of the bases of every copy of the demo
 * genome's segmental duplications (its copies are exact, so bwa gives their reads MAPQ 0 and
 * every other read 60): reads from diverged copies get intermediate mapping qualities, and may be
 * placed on the wrong copy, which is what a min_mapq threshold is about.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASES,
  createRng,
  LibraryOptions,
  readSimReference,
  ScenarioName,
  scenarioOptions,
  writeFasta,
  writeSimulatedLibrary,
} from '@qslam/fastq';
import { DEMO_GENOME_DEFAULTS, DemoGenome, writeDemoGenome } from '@qslam/genomes';
import { defaultParams, RunParams } from '@qslam/params';
import { cutadaptPassCommand } from '../../libs/steps/src/cutadapt/cutadapt.step';
import { fastpCommand } from '../../libs/steps/src/fastp/fastp.step';
import { projectToolArgv } from '../../libs/steps/src/project-tool';
import { runPipe, runTool } from './tool-process';

export interface SpeedDataOptions {
  pairs: number;
  seed: number;
  /** Random integration sites of the simulated library. */
  sites: number;
  umiLength: number;
  mispriming: number;
  threads: number;
  cacheRoot: string;
  /** A simulator scenario on the whole demo genome (its sites and UMI length win). */
  scenario?: ScenarioName;
  /** Run parameters of the cutadapt / fastp command lines that differ from the defaults. */
  params?: Partial<RunParams>;
  /** Run the pipeline's fastp after cutadapt. */
  fastp?: boolean;
  /** Substitution rate applied to the second copy of every duplicated segment (default 0). */
  divergence?: number;
}

export interface SpeedData {
  dir: string;
  bam: string;
  fasta: string;
  gtf: string;
  vectorContig: string;
  truth: string;
  /** genome/duplications.bed (every copy of every duplicated segment). */
  duplications: string;
  /** The simulated library's UMI length (0 = the reads carry no UMI). */
  umiLength: number;
}

type Log = (message: string) => void;

/** Cache directory of one data set: every option that changes the data is in its name. */
export function speedDataDir(o: SpeedDataOptions): string {
  if (o.scenario !== undefined) {
    const params = Object.entries(o.params ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `-${k}${String(v)}`)
      .join('');
    const div = o.divergence ? `-div${o.divergence}` : '';
    const key = `site-accuracy-v3-${o.scenario}-p${o.pairs}-s${o.seed}${params}${o.fastp ? '-fastp' : ''}${div}`;
    return join(o.cacheRoot, key);
  }
  const key = `site-speed-v1-p${o.pairs}-s${o.seed}-sites${o.sites}-umi${o.umiLength}-mis${o.mispriming}`;
  return join(o.cacheRoot, key);
}

function runParams(o: SpeedDataOptions, id: string) {
  return { ...defaultParams(), ...o.params, id, name: id } as unknown as Parameters<
    typeof cutadaptPassCommand
  >[0];
}

/** Substitutes `rate` of the bases of every duplication's copy; rewrites the FASTA. */
async function divergeDuplications(
  genome: DemoGenome,
  rate: number,
  seed: number,
  fasta: string,
): Promise<void> {
  const rng = createRng(seed).fork('duplication-divergence');
  const contigs = genome.contigs.map((c) => ({ name: c.name, seq: c.seq }));
  for (const { copy } of genome.duplications) {
    const contig = contigs.find((c) => c.name === copy.chrom)!;
    const bases = [...contig.seq];
    for (let i = copy.start - 1; i < copy.end; i++) {
      if (rng.next() < rate) bases[i] = BASES[(BASES.indexOf(bases[i]) + rng.int(1, 3)) % 4];
    }
    contig.seq = bases.join('');
  }
  await writeFasta(fasta, contigs);
}

/** The simulated library's options: a scenario on the demo genome, or the speed data set. */
async function libraryOptions(
  o: SpeedDataOptions,
  genomeDir: string,
  genome: DemoGenome,
): Promise<LibraryOptions> {
  if (o.scenario !== undefined) {
    const reference = await readSimReference(genomeDir);
    return scenarioOptions(o.scenario, reference, { seed: o.seed, pairs: o.pairs });
  }
  return {
    seed: o.seed,
    genome: genome.contigs.filter((c) => !genome.vectorContigs.includes(c.name)),
    pairs: o.pairs,
    sites: o.sites,
    umiLength: o.umiLength,
    misprimingFraction: o.mispriming,
  };
}

async function stage(
  log: Log,
  name: string,
  done: string,
  build: () => Promise<void>,
): Promise<void> {
  if (existsSync(done)) {
    log(`${name}: cached`);
    return;
  }
  const t0 = Date.now();
  await build();
  log(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** The pipeline's cutadapt command lines with the run's parameters (each a single process). */
function cutadaptArgv(
  o: SpeedDataOptions,
  read: 'r1' | 'r2',
  io: Parameters<typeof cutadaptPassCommand>[2],
) {
  const [only] = cutadaptPassCommand(runParams(o, 'site-speed'), read, io, o.threads);
  return only.argv;
}

/** Builds (or finds in the cache) the benchmark BAM; returns its files. */
export async function ensureSpeedBam(o: SpeedDataOptions, log: Log): Promise<SpeedData> {
  const dir = speedDataDir(o);
  const path = (...parts: string[]) => join(dir, ...parts);
  const data: SpeedData = {
    dir,
    bam: path('bwa', 'aligned.sorted.bam'),
    fasta: path('genome', 'genome.fa'),
    gtf: path('genome', 'genes.gtf'),
    vectorContig: DEMO_GENOME_DEFAULTS.vectorName,
    truth: path('reads', 'truth.tsv'),
    duplications: path('genome', 'duplications.bed'),
    umiLength: o.umiLength,
  };
  for (const sub of ['genome', 'reads', 'umi', 'cutPrimer', 'fastp', 'bwa']) {
    mkdirSync(path(sub), { recursive: true });
  }
  await stage(log, 'demo genome + simulated reads', path('reads', '.done'), async () => {
    const { genome } = await writeDemoGenome(path('genome'), { seed: o.seed });
    if (o.divergence) await divergeDuplications(genome, o.divergence, o.seed, data.fasta);
    const library = await libraryOptions(o, path('genome'), genome);
    await writeSimulatedLibrary(library, {
      r1: path('reads', 'R1.fastq.gz'),
      r2: path('reads', 'R2.fastq.gz'),
      truth: data.truth,
    });
    const done = { ...o, umiLength: library.umiLength ?? 0 };
    writeFileSync(path('reads', '.done'), JSON.stringify(done) + '\n');
  });
  data.umiLength = Number(
    (JSON.parse(readFileSync(path('reads', '.done'), 'utf8')) as SpeedDataOptions).umiLength,
  );
  const pair = (sub: string) => ({ r1: path(sub, 'R1.fastq.gz'), r2: path(sub, 'R2.fastq.gz') });
  const umiLength = data.umiLength;
  if (umiLength > 0) {
    const what = `umi (umi-cli, UMI = first ${umiLength} bases of R2)`;
    await stage(log, what, path('umi', '.done'), async () => {
      const out = pair('umi');
      await runTool([
        ...projectToolArgv('preprocess/src/umi/umi-cli'),
        ...['--r1', pair('reads').r1, '--r2', pair('reads').r2],
        ...['--out-r1', out.r1, '--out-r2', out.r2, '--read', 'R2'],
        ...['--pattern', 'N'.repeat(umiLength), '--report', path('umi', 'umi_report.json')],
      ]);
      writeFileSync(path('umi', '.done'), '');
    });
  }
  await stage(log, 'cutadapt (2 passes)', path('cutPrimer', '.done'), async () => {
    const mid = pair('cutPrimer/pass1');
    mkdirSync(path('cutPrimer', 'pass1'), { recursive: true });
    const report = (name: string) => path('cutPrimer', name);
    const input = pair(umiLength > 0 ? 'umi' : 'reads');
    const io1 = { input, output: mid, report: report('cutadapt_r1.json') };
    await runTool(cutadaptArgv(o, 'r1', io1));
    const io2 = { input: mid, output: pair('cutPrimer'), report: report('cutadapt_r2.json') };
    await runTool(cutadaptArgv(o, 'r2', io2));
    rmSync(path('cutPrimer', 'pass1'), { recursive: true, force: true });
    writeFileSync(path('cutPrimer', '.done'), '');
  });
  if (o.fastp) {
    await stage(log, 'fastp', path('fastp', '.done'), async () => {
      const run = runParams(o, 'site-accuracy');
      const [only] = fastpCommand(run, pair('cutPrimer'), path('fastp'), o.threads);
      await runTool(only.argv);
      writeFileSync(path('fastp', '.done'), '');
    });
  }
  await stage(log, 'bwa index', `${data.fasta}.sa`, () => runTool(['bwa', 'index', data.fasta]));
  await stage(log, 'bwa mem | samtools sort, samtools index', `${data.bam}.bai`, async () => {
    const partial = path('bwa', 'partial.bam');
    const reads = pair(o.fastp ? 'fastp' : 'cutPrimer');
    const threads = String(o.threads);
    await runPipe(
      ['bwa', 'mem', '-t', threads, data.fasta, reads.r1, reads.r2],
      [
        'samtools',
        'sort',
        '-@',
        threads,
        '-m',
        '1G',
        '-T',
        path('bwa', 'sort'),
        '-o',
        partial,
        '-',
      ],
    );
    renameSync(partial, data.bam);
    await runTool(['samtools', 'index', data.bam]);
  });
  return data;
}
