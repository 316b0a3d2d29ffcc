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
import type { ReadPair } from './chain';
import type { RunWorkspace } from './workspace';

export class MissingInputError extends ConflictError {}

export interface StepContext {
  run: Run;
  workspace: RunWorkspace;
  /** The variant the job was started with (e.g. qc stage), already validated. */
  variant: string | null;
  threads: number;
  /** The run's jobs, oldest first (the chain resolution reads the latest job of each step). */
  history: readonly Job[];
}

export interface StepPlan {
  commands: CommandLine[];
  /** Output folders relative to the workspace, written under the staging folder first. */
  outputs: string[];
  /** The read files the job consumes, recorded as its inputs (provenance). */
  inputs: ReadPair[];
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
}
