// One resolver, shared by the API (the start check of a step with `needsGenome` calls the
// step's plan) and the worker (which gives the plan its genome): a `genomes` row to the
// absolute paths a step uses (ResolvedGenome of @qslam/steps).

import type { Genome } from '@qslam/db';
import type { ResolvedGenome } from '@qslam/steps';
import { GenomeLayout, INSTALLED_DIR } from './genome-layout';
import { GENOME_FASTA } from './genome-job-plan';

/** The paths of a ready genome; throws when it is not ready (a caller's bug). */
export function resolveGenome(genome: Genome, referencesDir: string): ResolvedGenome {
  if (genome.status !== 'ready' || !genome.index_prefix || !genome.index_kind) {
    throw new Error(`genome ${genome.name} is ${genome.status}, not ready`);
  }
  const layout = new GenomeLayout(referencesDir, genome.name);
  return {
    name: genome.name,
    dir: layout.dir,
    fasta: genome.fasta ? layout.path(genome.fasta) : null,
    indexKind: genome.index_kind,
    indexPrefix: layout.path(genome.index_prefix),
    annotation: genome.annotation ? layout.path(genome.annotation) : null,
    vectorContigs: [...genome.vector_contigs],
  };
}

/**
 * Where a genome still being installed is expected to be (the layout of a build), so that the
 * start check can plan a step, checking its other inputs, before the genome is ready. The
 * worker plans again with the real genome once it is.
 */
export function provisionalGenome(name: string, referencesDir: string): ResolvedGenome {
  const layout = new GenomeLayout(referencesDir, name);
  const fasta = `${layout.installedDir}/${GENOME_FASTA}`;
  return {
    name,
    dir: layout.dir,
    fasta,
    indexKind: 'bwa',
    indexPrefix: fasta,
    annotation: null,
    vectorContigs: [],
  };
}

export { INSTALLED_DIR };
