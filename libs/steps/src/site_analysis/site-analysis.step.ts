/**
 * `site_analysis`: integration sites from the read_mapping BAM, by the project's own engine
 * (libs/sites, run as its CLI like any tool): one streaming pass over `bwa/aligned.sorted.bam`,
 * sites, fragments and UMIs per position, merging for every d from 0 to max_merge_distance,
 * annotation from the genome's GTF, known sites, clone statistics and cell estimates.
 *
 * Outputs: `bam2bed/fragments.bed`, `bed2peak/sites.tsv` (primary d) and `sites.d{d}.tsv`,
 * `bed2peak/sites.xlsx`, `bed2peak/summary.json` and the plots in `bed2peak/plots/`. The
 * results endpoint returns the summary, the top sites and the file links.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictError } from '@qslam/common';
import type { Job, Run } from '@qslam/db';
import { command, CommandLine } from '@qslam/jobs';
import { projectToolArgv } from '../project-tool';
import {
  MissingInputError,
  ResolvedGenome,
  StepContext,
  StepDefinition,
  StepInput,
  StepPlan,
  StepSummary,
} from '../step-definition';
import { RunWorkspace } from '../workspace';

export const MAPPING_STEP = 'read_mapping';
export const BAM_PATH = 'bwa/aligned.sorted.bam';
export const KNOWN_SITES_FILE = 'rawdata/known_sites.bed';
export const FRAGMENTS_DIR = 'bam2bed';
export const SITES_DIR = 'bed2peak';
/** Host contigs named like this are vector contigs even when the genome does not list them. */
export const DEFAULT_VECTOR_CONTIG = 'vector';
const TOP_SITES = 20;

function latestCompleted(history: readonly Job[], step: string): Job | null {
  let latest: Job | null = null;
  for (const job of history) if (job.step_name === step && job.status === 'completed') latest = job;
  return latest;
}

/** The BAM of the latest completed read_mapping job; MissingInputError when there is none. */
export function mappingInput(ws: RunWorkspace, history: readonly Job[]): StepInput {
  const job = latestCompleted(history, MAPPING_STEP);
  if (!job || !fs.existsSync(ws.path(BAM_PATH))) {
    throw new MissingInputError(
      `site_analysis needs ${BAM_PATH}: run read_mapping first` +
        (job ? ' (its outputs were removed by clean)' : ''),
      { missing: BAM_PATH, produced_by: MAPPING_STEP },
    );
  }
  return {
    rel: { bam: BAM_PATH, bai: `${BAM_PATH}.bai` },
    producer: MAPPING_STEP,
    producerJobId: job.id,
  };
}

/**
 * Whether the mapped reads carry a UMI in their names: the umi step completed before the
 * read_mapping job that wrote the BAM (the chain feeds umi output to everything after it).
 */
export function readsCarryUmi(run: Run, history: readonly Job[]): boolean {
  if (run.umi_read === 'none') return false;
  const mapping = latestCompleted(history, MAPPING_STEP);
  return history.some(
    (j) =>
      j.step_name === 'umi' && j.status === 'completed' && mapping !== null && j.id < mapping.id,
  );
}

export function vectorContigsOf(genome: ResolvedGenome): string[] {
  return genome.vectorContigs.length > 0 ? genome.vectorContigs : [DEFAULT_VECTOR_CONTIG];
}

export interface SiteCommandInput {
  bam: string;
  outDir: string;
  run: Run;
  genome: ResolvedGenome;
  umi: boolean;
  knownSites: string | null;
  threads: number;
}

/** The engine's command line (pure; the flags mirror the run's site_analysis parameters). */
export function siteAnalysisCommand(input: SiteCommandInput): CommandLine {
  const { run } = input;
  const argv = [
    ...projectToolArgv('sites/src/site-cli'),
    '--bam',
    input.bam,
    '--out-dir',
    input.outDir,
    '--threads',
    String(input.threads),
    '--min-mapq',
    String(run.min_mapq),
    '--max-leading-clip',
    String(run.max_leading_clip),
    '--ltr-remainder',
    run.ltr_remainder ?? '',
    '--merge-distance',
    String(run.merge_distance),
    '--max-merge-distance',
    String(run.max_merge_distance),
    '--min-fragments',
    String(run.min_fragments),
    '--min-reads',
    String(run.min_reads),
    '--promoter-left',
    String(run.promoter_left),
    '--promoter-right',
    String(run.promoter_right),
    '--enhancer-left',
    String(run.enhancer_left),
  ];
  for (const contig of vectorContigsOf(input.genome)) argv.push('--vector-contig', contig);
  if (input.genome.annotation) argv.push('--annotation', input.genome.annotation);
  if (input.knownSites) argv.push('--known-sites', input.knownSites);
  if (input.umi) argv.push('--umi');
  return command(...argv);
}

function requireGenome(ctx: StepContext): ResolvedGenome {
  if (!ctx.genome) {
    throw new ConflictError(`site_analysis needs the run's genome installed`, {
      genome: ctx.run.genome,
    });
  }
  return ctx.genome;
}

function plan(ctx: StepContext, stagingRoot: string): StepPlan {
  const input = mappingInput(ctx.workspace, ctx.history);
  const genome = requireGenome(ctx);
  const knownSites = ctx.workspace.path(KNOWN_SITES_FILE);
  return {
    commands: [
      siteAnalysisCommand({
        bam: ctx.workspace.path(BAM_PATH),
        outDir: stagingRoot,
        run: ctx.run,
        genome,
        umi: readsCarryUmi(ctx.run, ctx.history),
        knownSites: fs.existsSync(knownSites) ? knownSites : null,
        threads: ctx.threads,
      }),
    ],
    outputs: [FRAGMENTS_DIR, SITES_DIR],
    inputs: [
      input,
      ...(fs.existsSync(knownSites)
        ? [{ rel: { known_sites: KNOWN_SITES_FILE }, producer: 'upload', producerJobId: null }]
        : []),
    ],
  };
}

/** The first rows of a sites TSV as objects (numbers as numbers, empty cells as null). */
export function readTopSites(file: string, limit = TOP_SITES): Record<string, unknown>[] {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const header = lines[0]?.split('\t') ?? [];
  return lines.slice(1, limit + 1).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(
      header.map((name, i) => {
        const cell = cells[i] ?? '';
        if (cell === '') return [name, null];
        const n = Number(cell);
        return [name, Number.isFinite(n) && !['chrom', 'gene'].includes(name) ? n : cell];
      }),
    );
  });
}

async function summarize(ctx: StepContext): Promise<StepSummary> {
  const dir = ctx.workspace.path(SITES_DIR);
  const summary = JSON.parse(
    await fs.promises.readFile(path.join(dir, 'summary.json'), 'utf8'),
  ) as Record<string, unknown>;
  const files = (await fs.promises.readdir(dir, { recursive: true }))
    .map((f) => `${SITES_DIR}/${f}`)
    .filter((f) => fs.statSync(ctx.workspace.path(f)).isFile())
    .sort();
  return {
    ...summary,
    top_sites: readTopSites(path.join(dir, 'sites.tsv')),
    files: [`${FRAGMENTS_DIR}/fragments.bed`, ...files],
  };
}

export const siteAnalysisStep: StepDefinition = {
  name: 'site_analysis',
  description:
    'Integration sites from the BAM: positions, fragments, UMIs, merging for every d, annotation, clone statistics, Excel and plots',
  plan,
  summarize,
  upstream: () => [MAPPING_STEP],
  needsGenome: true,
};
