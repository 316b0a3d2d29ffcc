/**
 * What a pipeline step is: data plus pure functions.
 *
 * A step resolves its inputs from the run's workspace (throwing MissingInputError, which names
 * the missing file and the step that produces it), declares the output folders it owns, and
 * builds its command lines as argument arrays into a staging folder. The job engine runs them,
 * moves the staged outputs into place only when every command succeeded (a failed re-run never
 * destroys the previous good outputs) and then asks the step to summarise its results.
 */
import { ConflictError } from '@qslam/common';
import type { Job, Run } from '@qslam/db';
import type { CommandLine } from '@qslam/jobs';
import type { RunWorkspace } from './workspace';

export class MissingInputError extends ConflictError {}

/**
 * A reference genome that is installed and ready, as the worker resolves it from the genomes
 * table for steps that need one (read_mapping, site_analysis). Paths are absolute.
 */
export interface ResolvedGenome {
  name: string;
  /** The genome directory, QSLAM_DATA_DIR/references/{name}. */
  dir: string;
  /** The FASTA the index was built from (with its .fai), when known. */
  fasta: string | null;
  /** Which aligner's index is present; bwa-mem2 is used only when its index and binary exist. */
  indexKind: 'bwa' | 'bwa-mem2';
  /** Index prefix given to the aligner (`bwa mem PREFIX ...`). */
  indexPrefix: string;
  /** Gene annotation (GTF or GFF3, maybe gzipped), when the genome has one. */
  annotation: string | null;
  /** Contigs that belong to the vector, not the host (sites there are excluded). */
  vectorContigs: string[];
}

export interface StepContext {
  run: Run;
  /** The run's genome, for steps with `needsGenome`; null otherwise. */
  genome?: ResolvedGenome | null;
  workspace: RunWorkspace;
  /** The variant the job was started with (e.g. qc stage), already validated. */
  variant: string | null;
  threads: number;
  /** The run's jobs, oldest first (the chain resolution reads the latest job of each step). */
  history: readonly Job[];
}

/**
 * Files a job consumes, all written by one producer (a chain step's read pair, the read_mapping
 * BAM, ...). A `ReadPair` is one.
 */
export interface StepInput {
  /** Paths relative to the workspace, by role (e.g. r1, r2 or bam, bai). */
  rel: Readonly<Record<string, string>>;
  /** `upload` for the raw reads, else the step that wrote them. */
  producer: string;
  producerJobId: number | null;
}

export interface StepPlan {
  commands: CommandLine[];
  /** Output folders relative to the workspace, written under the staging folder first. */
  outputs: string[];
  /** The files the job consumes, recorded as its inputs (provenance). */
  inputs: StepInput[];
}

export interface StepVariant {
  /** Query parameter that selects it, e.g. `stage`. */
  query: string;
  values: readonly string[];
  description: string;
  defaultFor(run: Run): string;
}

export type StepSummary = Record<string, unknown>;

export interface StepDefinition {
  name: string;
  description: string;
  variant?: StepVariant;
  /** Throws MissingInputError when the step cannot start; returns what the plan needs. */
  plan(ctx: StepContext, stagingRoot: string): StepPlan;
  /** Reads the step's outputs (already in place) into summary numbers. */
  summarize(ctx: StepContext): Promise<StepSummary>;
  /**
   * Chain steps whose outputs this step (with this variant) consumes: when one of them completes
   * again later, this step's results are stale. Default: none (it reads the raw upload).
   */
  upstream?(variant: string | null): readonly string[];
  /** The step needs the run's genome installed (the start is refused with 409 otherwise). */
  needsGenome?: boolean;
}
