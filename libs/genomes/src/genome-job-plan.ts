// The command lines of the genome jobs, built by pure functions (argument arrays only, run by
// the job wrapper of @qslam/jobs in the genome directory) and unit-tested without the tools.
//
// Build (POST /genomes):   fasta-concat (gunzip, FASTA + vector) → `bwa index` or
//                          `bwa-mem2 index` → `samtools faidx` → copy the annotation → verify.
// Install (a tarball URL): download (resumable, sha256) → safe extraction → verify.
// Everything is written under `.staging-{job}`; the worker renames it to `index/` only when
// every command succeeded (genome-layout.ts).

import { relative } from 'node:path';
import type { CommandLine } from '@qslam/jobs';
import { GenomeLayout } from './genome-layout';

/** argv prefix that runs one of the project's tools, `libs/<relPath>` without extension. */
export type ToolArgv = (libRelPath: string) => string[];

export type Aligner = 'bwa' | 'bwa-mem2';

export interface BuildPlanInput {
  layout: GenomeLayout;
  jobId: number;
  /** Absolute paths of the uploads (under the genome's source/ folder). */
  fasta: string;
  vector: string | null;
  annotation: string | null;
  vectorContigs: string[];
  aligner: Aligner;
  tool: ToolArgv;
}

export interface InstallPlanInput {
  layout: GenomeLayout;
  jobId: number;
  url: string;
  sha256: string | null;
  tool: ToolArgv;
}

export const GENOME_FASTA = 'genome.fa';

/** Name the annotation keeps in the genome: its format and compression from the upload. */
export function annotationFileName(upload: string): string {
  const gz = upload.endsWith('.gz') ? '.gz' : '';
  const base = gz ? upload.slice(0, -3) : upload;
  const ext = /\.(gtf|gff3?)$/.exec(base)?.[1] ?? 'gtf';
  return `annotation.${ext}${gz}`;
}

function verify(
  input: { layout: GenomeLayout; jobId: number; tool: ToolArgv },
  extra: string[],
): CommandLine {
  const rel = (p: string) => relative(input.layout.dir, p);
  return [
    {
      argv: [
        ...input.tool('genomes/src/genome-verify-cli'),
        '--dir',
        rel(input.layout.stagingDir(input.jobId)),
        '--out',
        rel(input.layout.manifest(input.jobId)),
        ...extra,
      ],
    },
  ];
}

export function planGenomeBuild(input: BuildPlanInput): CommandLine[] {
  const { layout, jobId, tool } = input;
  const rel = (p: string) => relative(layout.dir, p);
  const staging = rel(layout.stagingDir(jobId));
  const fasta = `${staging}/${GENOME_FASTA}`;
  const commands: CommandLine[] = [
    [
      {
        argv: [
          ...tool('genomes/src/fasta-concat-cli'),
          '--fasta',
          rel(input.fasta),
          ...(input.vector ? ['--vector', rel(input.vector)] : []),
          '--out',
          fasta,
        ],
      },
    ],
    [{ argv: [input.aligner, 'index', '-p', fasta, fasta] }],
    [{ argv: ['samtools', 'faidx', fasta] }],
  ];
  if (input.annotation) {
    const name = annotationFileName(input.annotation);
    commands.push([{ argv: ['cp', rel(input.annotation), `${staging}/${name}`] }]);
  }
  const vector =
    input.vectorContigs.length > 0 ? ['--vector-contigs', input.vectorContigs.join(',')] : [];
  commands.push(verify(input, vector));
  return commands;
}

export function planGenomeInstall(input: InstallPlanInput): CommandLine[] {
  const { layout, jobId, tool } = input;
  const rel = (p: string) => relative(layout.dir, p);
  return [
    [
      {
        argv: [
          ...tool('genomes/src/download-cli'),
          '--url',
          input.url,
          '--out',
          rel(layout.archive),
          ...(input.sha256 ? ['--sha256', input.sha256] : []),
        ],
      },
    ],
    [
      {
        argv: [
          ...tool('genomes/src/safe-extract-cli'),
          '--archive',
          rel(layout.archive),
          '--dest',
          rel(layout.stagingDir(jobId)),
        ],
      },
    ],
    verify(input, []),
  ];
}
