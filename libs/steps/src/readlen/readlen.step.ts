/**
 * `readlen`: read-length distribution of the chain's current R1 and R2 (the project's own tool,
 * libs/preprocess/src/readlen): `readlen/readlen.tsv`, `readlen/readlen.json`, the histogram and
 * the fraction-of-reads-≥-length plots as SVG, and both in `readlen/readlen.pdf`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { command, CommandLine } from '@qslam/jobs';
import { chainInput, upstreamSteps } from '../chain';
import { projectToolArgv } from '../project-tool';
import { StepContext, StepDefinition, StepPlan, StepSummary } from '../step-definition';

export const READLEN_DIR = 'readlen';

export function readlenCommand(input: { r1: string; r2: string }, outDir: string): CommandLine {
  return command(
    ...projectToolArgv('preprocess/src/readlen/readlen-cli'),
    '--r1',
    input.r1,
    '--r2',
    input.r2,
    '--out-dir',
    outDir,
  );
}

function plan(ctx: StepContext, stagingRoot: string): StepPlan {
  const input = chainInput(ctx.workspace, ctx.history, 'end');
  const out = path.join(stagingRoot, READLEN_DIR);
  return {
    commands: [command('mkdir', '-p', out), readlenCommand(input, out)],
    outputs: [READLEN_DIR],
    inputs: [input],
  };
}

interface ReadStats {
  reads: number;
  bases: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  n50: number;
}

async function summarize(ctx: StepContext): Promise<StepSummary> {
  const data = JSON.parse(
    await fs.promises.readFile(ctx.workspace.path(READLEN_DIR, 'readlen.json'), 'utf8'),
  ) as Record<'R1' | 'R2', ReadStats>;
  // The histogram stays in readlen.json / readlen.tsv: results carry numbers and links only.
  const pick = ({ reads, bases, min, max, mean, median, n50 }: ReadStats) => ({
    reads,
    bases,
    min,
    max,
    mean,
    median,
    n50,
  });
  return {
    R1: pick(data.R1),
    R2: pick(data.R2),
    plots: {
      pdf: `${READLEN_DIR}/readlen.pdf`,
      histogram_svg: `${READLEN_DIR}/readlen_histogram.svg`,
      fraction_ge_svg: `${READLEN_DIR}/readlen_fraction_ge.svg`,
    },
  };
}

export const readlenStep: StepDefinition = {
  name: 'readlen',
  description:
    'Read-length distribution of the current reads: histogram, fraction ≥ length (SVG, PDF)',
  plan,
  summarize,
  upstream: () => upstreamSteps('end'),
};
