// The BullMQ queue of genome jobs (index builds, tarball installs). Separate from the step
// queue so that a step job waiting for its genome never holds the slot the genome job needs.
// The database row (genome_jobs) is the source of truth; the queue only delivers its id.

export const GENOME_QUEUE = 'genomes';

export interface GenomeJobData {
  genomeJobId: number;
  genome: string;
}

export function bullGenomeJobId(genomeJobId: number): string {
  return `genome-job-${genomeJobId}`;
}
