/** JSON shapes of genomes and genome jobs in API answers, and their Swagger schemas. */
import { Genome, GenomeJob } from '@qslam/db';

export function genomeJobView(job: GenomeJob) {
  return {
    job_id: job.id,
    genome: job.genome,
    kind: job.kind,
    status: job.status,
    tar_url: job.tar_url,
    requested_by_run: job.requested_by_run,
    created_at: job.created_at,
    started_at: job.started_at,
    completed_at: job.completed_at,
    exit_code: job.exit_code,
    error_message: job.error_message,
    log_url: `/genomes/${job.genome}/log?job_id=${job.id}`,
  };
}

/** A genome; `full` adds the contig list (long for real genomes). */
export function genomeView(genome: Genome, job: GenomeJob | null, full: boolean) {
  return {
    name: genome.name,
    status: genome.status,
    source: genome.source,
    tar_url: genome.tar_url,
    sha256: genome.sha256,
    fasta: genome.fasta,
    index_kind: genome.index_kind,
    index_prefix: genome.index_prefix,
    annotation: genome.annotation,
    vector_contigs: genome.vector_contigs,
    contig_count: genome.contigs?.length ?? null,
    ...(full ? { contigs: genome.contigs } : {}),
    total_length: genome.total_length,
    disk_bytes: genome.disk_bytes,
    error: genome.error,
    created_at: genome.created_at,
    updated_at: genome.updated_at,
    job: job ? genomeJobView(job) : null,
  };
}

export const GENOME_JOB_SCHEMA = {
  type: 'object',
  properties: {
    job_id: { type: 'integer' },
    genome: { type: 'string' },
    kind: { type: 'string', enum: ['build', 'install'] },
    status: { type: 'string', enum: ['pending', 'running', 'completed', 'failed', 'killed'] },
    tar_url: { type: 'string', nullable: true },
    requested_by_run: { type: 'string', nullable: true, description: 'Run whose step asked' },
    created_at: { type: 'string', format: 'date-time' },
    started_at: { type: 'string', format: 'date-time', nullable: true },
    completed_at: { type: 'string', format: 'date-time', nullable: true },
    exit_code: { type: 'integer', nullable: true },
    error_message: { type: 'string', nullable: true },
    log_url: { type: 'string' },
  },
};

export const GENOME_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', example: 'GRCh38' },
    status: { type: 'string', enum: ['installing', 'ready', 'failed'] },
    source: { type: 'string', enum: ['upload', 'tarball', 'demo'] },
    tar_url: { type: 'string', nullable: true },
    sha256: { type: 'string', nullable: true },
    fasta: { type: 'string', nullable: true, description: 'Relative to the genome directory' },
    index_kind: { type: 'string', enum: ['bwa', 'bwa-mem2'], nullable: true },
    index_prefix: { type: 'string', nullable: true },
    annotation: { type: 'string', nullable: true },
    vector_contigs: { type: 'array', items: { type: 'string' } },
    contig_count: { type: 'integer', nullable: true },
    contigs: {
      type: 'array',
      description: 'GET /genomes/{name} only',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, length: { type: 'integer' } },
      },
    },
    total_length: { type: 'integer', nullable: true },
    disk_bytes: { type: 'integer', nullable: true },
    error: { type: 'string', nullable: true },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    job: { ...GENOME_JOB_SCHEMA, nullable: true, description: 'The latest build or install' },
  },
};

export const GENOME_ACCEPTED_SCHEMA = {
  type: 'object',
  properties: { genome: GENOME_SCHEMA, job: GENOME_JOB_SCHEMA },
};
