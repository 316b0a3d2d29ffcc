/**
 * The written state table of the genome registry.
 *
 * A genome is `installing` while its build or install job is queued or running, `ready` once
 * that job completed (and only then: the job verified the index), `failed` when it did not.
 * A failed genome can be installed or uploaded again (back to `installing`); a ready one cannot
 * change until it is deleted. Genome jobs move along the same transitions as step jobs
 * (state.ts), and the genome's status is derived from its latest job in the same transaction.
 */
import { JobStatus } from './state';

export const GENOME_STATUSES = ['installing', 'ready', 'failed'] as const;
export type GenomeStatus = (typeof GENOME_STATUSES)[number];

export const GENOME_SOURCES = ['upload', 'tarball', 'demo'] as const;
export type GenomeSource = (typeof GENOME_SOURCES)[number];

export const GENOME_JOB_KINDS = ['build', 'install'] as const;
export type GenomeJobKind = (typeof GENOME_JOB_KINDS)[number];

export const GENOME_TRANSITIONS: Readonly<Record<GenomeStatus, readonly GenomeStatus[]>> = {
  installing: ['ready', 'failed'],
  ready: [],
  failed: ['installing'],
};

export function canGenomeTransition(from: GenomeStatus, to: GenomeStatus): boolean {
  return GENOME_TRANSITIONS[from].includes(to);
}

/** The genome status a genome job's status implies. */
export function genomeStatusOfJob(status: JobStatus): GenomeStatus {
  if (status === 'completed') return 'ready';
  if (status === 'failed' || status === 'killed') return 'failed';
  return 'installing';
}

/**
 * What a request to install a genome from a tarball does, given the genome as it stands:
 * - `ready`: nothing to do;
 * - `join`: an install or build is queued or running: wait for it (one download for all);
 * - `create`: no such genome: create it with an install job;
 * - `retry`: the genome failed: install it again (same row, new job).
 */
export type InstallDecision = 'ready' | 'join' | 'create' | 'retry';

export function decideInstall(status: GenomeStatus | null): InstallDecision {
  if (status === null) return 'create';
  if (status === 'ready') return 'ready';
  if (status === 'installing') return 'join';
  return 'retry';
}
