/**
 * The preprocessing chain and where each step's reads come from.
 *
 *     rawdata ──► umi ──► cutadapt ──► fastp ──► (read_mapping, readlen, qc?stage=after)
 *
 * The order is fixed; any step may be skipped. A step reads the output of the nearest upstream
 * chain step whose latest job completed and whose output files still exist (a `clean` removes
 * them), otherwise the raw upload. A step's results are `stale` when an upstream step completed
 * again after it: its output no longer reflects the current upstream reads.
 */
import * as fs from 'node:fs';
import type { Job } from '@qslam/db';
import { MissingInputError } from './step-definition';
import { RunWorkspace } from './workspace';

export const CHAIN = [
  { step: 'umi', dir: 'umi' },
  { step: 'cutadapt', dir: 'cutPrimer' },
  { step: 'fastp', dir: 'fastp' },
] as const;
export type ChainStep = (typeof CHAIN)[number]['step'];
/** A position in the chain: before one of its steps, or after all of them. */
export type ChainPosition = ChainStep | 'end';

export const UPLOAD_DIR = 'rawdata';

/** The read pair a step consumes, with the job that wrote it. */
export interface ReadPair {
  r1: string;
  r2: string;
  /** Paths relative to the workspace. */
  rel: { r1: string; r2: string };
  /** `upload` for the raw reads, else the chain step. */
  producer: string;
  producerJobId: number | null;
}

/** What the chain resolution needs to know about one chain step. */
export interface ChainLink {
  step: ChainStep;
  latest: Pick<Job, 'id' | 'status'> | null;
  outputsExist: boolean;
}

export function pairPaths(dir: string): { r1: string; r2: string } {
  return { r1: `${dir}/R1.fastq.gz`, r2: `${dir}/R2.fastq.gz` };
}

/**
 * The chain step whose output feeds `position`, or null for the raw upload (pure: the unit
 * tests enumerate every combination of steps run, failed, cleaned and re-run).
 */
export function upstreamSource(
  position: ChainPosition,
  links: readonly ChainLink[],
): ChainLink | null {
  const end = position === 'end' ? CHAIN.length : CHAIN.findIndex((c) => c.step === position);
  for (let i = end - 1; i >= 0; i--) {
    const link = links.find((l) => l.step === CHAIN[i].step);
    if (link?.latest?.status === 'completed' && link.outputsExist) return link;
  }
  return null;
}

function latestOf(history: readonly Job[], step: string): Job | null {
  for (let i = history.length - 1; i >= 0; i--)
    if (history[i].step_name === step) return history[i];
  return null;
}

function pairExists(ws: RunWorkspace, dir: string): boolean {
  const p = pairPaths(dir);
  return fs.existsSync(ws.path(p.r1)) && fs.existsSync(ws.path(p.r2));
}

/** The state of every chain step of a run, from its job history and its workspace. */
export function chainLinks(ws: RunWorkspace, history: readonly Job[]): ChainLink[] {
  return CHAIN.map(({ step, dir }) => ({
    step,
    latest: latestOf(history, step),
    outputsExist: pairExists(ws, dir),
  }));
}

export function rawReads(ws: RunWorkspace, history: readonly Job[]): ReadPair {
  const rel = pairPaths(UPLOAD_DIR);
  if (!pairExists(ws, UPLOAD_DIR)) {
    throw new MissingInputError(
      `Run ${ws.runId} has no raw reads (${rel.r1}, ${rel.r2}); ` +
        `they are created by uploading R1 and R2 with POST /runs`,
      { missing: [rel.r1, rel.r2], produced_by: 'upload' },
    );
  }
  const upload = latestOf(history, 'upload');
  return {
    r1: ws.path(rel.r1),
    r2: ws.path(rel.r2),
    rel,
    producer: 'upload',
    producerJobId: upload?.id ?? null,
  };
}

/** The reads a step at `position` consumes (see the diagram above). */
export function chainInput(
  ws: RunWorkspace,
  history: readonly Job[],
  position: ChainPosition,
): ReadPair {
  const source = upstreamSource(position, chainLinks(ws, history));
  if (!source) return rawReads(ws, history);
  const dir = CHAIN.find((c) => c.step === source.step)!.dir;
  const rel = pairPaths(dir);
  return {
    r1: ws.path(rel.r1),
    r2: ws.path(rel.r2),
    rel,
    producer: source.step,
    producerJobId: source.latest?.id ?? null,
  };
}

/** Chain steps upstream of a consumer: the steps whose re-run makes its output stale. */
export function upstreamSteps(position: ChainPosition): ChainStep[] {
  const end = position === 'end' ? CHAIN.length : CHAIN.findIndex((c) => c.step === position);
  return CHAIN.slice(0, end).map((c) => c.step);
}

export interface Staleness {
  step: string;
  job_id: number;
  /** The upstream job that completed after it. */
  newer_step: string;
  newer_job_id: number;
}

/**
 * Which steps' latest completed outputs are stale. `upstreamOf(step, variant)` gives the chain
 * steps a step depends on (from its definition). Jobs of a run execute one at a time, so job
 * ids order completions.
 */
export function staleSteps(
  history: readonly Job[],
  upstreamOf: (step: string, variant: string | null) => readonly string[],
): Staleness[] {
  const latestCompleted = new Map<string, Job>();
  for (const job of history)
    if (job.status === 'completed') latestCompleted.set(job.step_name, job);
  const stale: Staleness[] = [];
  for (const [step, job] of latestCompleted) {
    let newest: Job | null = null;
    for (const up of upstreamOf(step, job.variant)) {
      const upJob = latestCompleted.get(up);
      if (upJob && upJob.id > job.id && (!newest || upJob.id > newest.id)) newest = upJob;
    }
    if (newest) {
      stale.push({ step, job_id: job.id, newer_step: newest.step_name, newer_job_id: newest.id });
    }
  }
  return stale.sort((a, b) => a.job_id - b.job_id);
}
