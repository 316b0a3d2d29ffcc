/**
 * `read_mapping`: aligns the chain's current reads (the end of the preprocessing chain) to the
 * run's genome, as a sorted, indexed BAM in `bwa/`:
 *
 *     bwa mem -t T PREFIX R1 R2 | samtools sort -@ T -m 1G -T STAGING/aligned.sort -o bwa/aligned.sorted.bam -
 *     samtools index    → bwa/aligned.sorted.bam.bai
 *     samtools flagstat → bwa/aligned.stat
 *     samtools idxstats → bwa/idxstats.tsv
 *     samtools view -F 0x904 | awk → bwa/mapq.tsv   (primary mapped reads per contig and MAPQ)
 *
 * `bwa-mem2 mem` replaces `bwa mem` when the genome has a bwa-mem2 index and the binary is
 * installed. The aligner's SAM goes straight into `samtools sort` through a pipe: no SAM is ever
 * written to disk. The job wrapper fails a pipeline when any stage fails (pipefail), so an aligner
 * that dies half-way fails the job even though `samtools sort` happily sorts what it got, and the
 * staged half BAM is discarded, never moved into place. Read names keep their `_UMI` suffix: bwa
 * keeps the name up to the first blank and drops the FASTQ comment (no `-C`). No read group is
 * added: nothing downstream reads it, and it would cost a tag on every record.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictError, readTail } from '@qslam/common';
import { command, CommandLine, pipeline } from '@qslam/jobs';
import { chainInput, upstreamSteps } from '../chain';
import {
  ResolvedGenome,
  StepContext,
  StepDefinition,
  StepPlan,
  StepSummary,
} from '../step-definition';
import {
  alignerFromLog,
  parseFlagstat,
  parseIdxstats,
  parseMapqTable,
  summarizeMapping,
} from './mapping-report';
import { alignerVersion, binaryOnPath } from './aligner-probe';

export const MAPPING_DIR = 'bwa';
export const MAPPING_FILES = {
  bam: 'aligned.sorted.bam',
  bai: 'aligned.sorted.bam.bai',
  flagstat: 'aligned.stat',
  idxstats: 'idxstats.tsv',
  mapq: 'mapq.tsv',
} as const;

/**
 * samtools sort memory per thread. 1M pairs (2M records of 150 bases) take about 0.7 GB in
 * memory, so one 1G block sorts them without temporary files; bigger runs spill to
 * STAGING/aligned.sort.NNNN.bam, which sort removes itself (and the staging folder goes anyway).
 */
export const SORT_MEMORY_PER_THREAD = '1G';

export type Aligner = 'bwa' | 'bwa-mem2';

/**
 * Counts primary mapped reads (samtools view -F 0x904: not unmapped, secondary or supplementary)
 * per contig ($3) and MAPQ ($5). A constant program: no input ever becomes awk code.
 */
export const MAPQ_AWK_PROGRAM =
  'BEGIN { FS = "\\t"; OFS = "\\t"; print "contig", "mapq", "reads" } ' +
  '{ n[$3 OFS $5]++ } ' +
  'END { for (k in n) print k, n[k] }';

/** bwa-mem2 only with its index and its binary; bwa otherwise. */
export function chooseAligner(
  genome: Pick<ResolvedGenome, 'name' | 'indexKind' | 'indexPrefix'>,
  installed: (binary: string) => boolean = binaryOnPath,
  fileExists: (file: string) => boolean = fs.existsSync,
): Aligner {
  if (genome.indexKind === 'bwa') return 'bwa';
  if (installed('bwa-mem2')) return 'bwa-mem2';
  // A bwa-mem2 index has no .bwt/.sa (its .amb .ann .pac are bwa's too); some genome
  // directories carry both indexes. Both files, so that half a bwa index is not chosen.
  if (['.bwt', '.sa'].every((ext) => fileExists(`${genome.indexPrefix}${ext}`))) return 'bwa';
  throw new ConflictError(
    `Genome ${genome.name} has a bwa-mem2 index, but bwa-mem2 is not installed on this worker ` +
      `and there is no bwa index; install bwa-mem2 or re-add the genome so that a bwa index is built`,
    { genome: genome.name },
  );
}

export interface MappingCommandsInput {
  aligner: Aligner;
  indexPrefix: string;
  reads: { r1: string; r2: string };
  /** Where the outputs go (STAGING/bwa). */
  outDir: string;
  /** Prefix of samtools sort's temporary files (inside the staging folder). */
  sortTmpPrefix: string;
  threads: number;
}

/** The job's command lines; pure (the unit tests compare them argument by argument). */
export function mappingCommands(o: MappingCommandsInput): CommandLine[] {
  const t = String(Math.max(1, o.threads));
  const bam = path.join(o.outDir, MAPPING_FILES.bam);
  return [
    command('mkdir', '-p', o.outDir),
    pipeline(
      { argv: [o.aligner, 'mem', '-t', t, o.indexPrefix, o.reads.r1, o.reads.r2] },
      {
        argv: [
          'samtools',
          'sort',
          '-@',
          t,
          '-m',
          SORT_MEMORY_PER_THREAD,
          '-T',
          o.sortTmpPrefix,
          '-o',
          bam,
          '-',
        ],
      },
    ),
    command('samtools', 'index', '-@', t, bam),
    [
      {
        argv: ['samtools', 'flagstat', '-@', t, bam],
        stdoutFile: path.join(o.outDir, MAPPING_FILES.flagstat),
      },
    ],
    [
      {
        argv: ['samtools', 'idxstats', bam],
        stdoutFile: path.join(o.outDir, MAPPING_FILES.idxstats),
      },
    ],
    pipeline(
      { argv: ['samtools', 'view', '-@', t, '-F', '0x904', bam] },
      { argv: ['awk', MAPQ_AWK_PROGRAM], stdoutFile: path.join(o.outDir, MAPPING_FILES.mapq) },
    ),
  ];
}

/** The run's genome, or a 409 naming it (the API refuses the start earlier; a safety net). */
export function requireGenome(ctx: StepContext): ResolvedGenome {
  if (ctx.genome) return ctx.genome;
  const name = ctx.run.genome;
  throw new ConflictError(
    name
      ? `Genome ${name} of run ${ctx.run.id} is not installed; add it with POST /genomes ` +
          `(FASTA + annotation) or POST /genomes/${name}/install with a tar_url, or set ` +
          `genome_tar_url on the run`
      : `Run ${ctx.run.id} has no genome; set the run's genome parameter to an installed genome ` +
          `(GET /system/genomes lists them)`,
    { genome: name ?? null },
  );
}

function plan(ctx: StepContext, stagingRoot: string): StepPlan {
  const input = chainInput(ctx.workspace, ctx.history, 'end');
  const genome = requireGenome(ctx);
  return {
    commands: mappingCommands({
      aligner: chooseAligner(genome),
      indexPrefix: genome.indexPrefix,
      reads: input,
      outDir: path.join(stagingRoot, MAPPING_DIR),
      sortTmpPrefix: path.join(stagingRoot, 'aligned.sort'),
      threads: ctx.threads,
    }),
    outputs: [MAPPING_DIR],
    inputs: [input],
  };
}

/** The aligner that ran and its version: from this job's log, else asked from the binary. */
async function alignerOf(ctx: StepContext): Promise<{ name: string; version: string | null }> {
  const job = [...ctx.history].reverse().find((j) => j.step_name === readMappingStep.name);
  if (job) {
    const log = await readTail(ctx.workspace.jobFiles(job.step_name, job.id).log, 200);
    const found = alignerFromLog(log);
    if (found) return found;
  }
  let name: Aligner = 'bwa';
  try {
    if (ctx.genome) name = chooseAligner(ctx.genome);
  } catch {
    // a bwa-mem2 index without the binary: the job could not have run with it either
  }
  return { name, version: alignerVersion(name) };
}

async function summarize(ctx: StepContext): Promise<StepSummary> {
  const read = (file: string) =>
    fs.promises.readFile(ctx.workspace.path(MAPPING_DIR, file), 'utf8');
  const numbers = summarizeMapping({
    flagstat: parseFlagstat(await read(MAPPING_FILES.flagstat)),
    idxstats: parseIdxstats(await read(MAPPING_FILES.idxstats)),
    mapq: parseMapqTable(await read(MAPPING_FILES.mapq)),
    vectorContigs: ctx.genome ? ctx.genome.vectorContigs : null,
  });
  const files = Object.fromEntries(
    Object.entries(MAPPING_FILES).map(([key, file]) => [key, `${MAPPING_DIR}/${file}`]),
  );
  return {
    genome: ctx.genome?.name ?? ctx.run.genome ?? null,
    aligner: await alignerOf(ctx),
    ...numbers,
    files,
  };
}

export const readMappingStep: StepDefinition = {
  name: 'read_mapping',
  description:
    "Aligns the current reads to the run's genome (bwa-mem2 or bwa mem, piped into samtools " +
    'sort): sorted, indexed BAM, flagstat, idxstats, MAPQ distribution',
  plan,
  summarize,
  upstream: () => upstreamSteps('end'),
  needsGenome: true,
};
