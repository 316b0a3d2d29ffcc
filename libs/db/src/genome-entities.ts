/**
 * TypeORM entities of the genome registry (migrations/1732500000003-genomes.ts): `genomes`,
 * one row per reference genome shared by all runs, and `genome_jobs`, the index builds and
 * tarball installs that make a genome ready. File paths are relative to the genome directory
 * QSLAM_DATA_DIR/references/{name}/.
 */
import { EntitySchema } from 'typeorm';
import type { GenomeJobKind, GenomeSource, GenomeStatus } from './genome-state';
import type { JobStatus } from './state';

export interface GenomeContig {
  name: string;
  length: number;
}

export interface Genome {
  name: string;
  status: GenomeStatus;
  source: GenomeSource;
  tar_url: string | null;
  sha256: string | null;
  fasta: string | null;
  index_kind: 'bwa' | 'bwa-mem2' | null;
  index_prefix: string | null;
  annotation: string | null;
  vector_contigs: string[];
  contigs: GenomeContig[] | null;
  total_length: number | null;
  disk_bytes: number | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface GenomeJob {
  id: number;
  genome: string;
  kind: GenomeJobKind;
  status: JobStatus;
  tar_url: string | null;
  sha256: string | null;
  /** The run whose step start asked for the install (genome_tar_url), if any. */
  requested_by_run: string | null;
  pgid: number | null;
  worker_id: string | null;
  log_file: string | null;
  exit_code: number | null;
  error_message: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

export const GenomeEntity = new EntitySchema<Genome>({
  name: 'Genome',
  tableName: 'genomes',
  columns: {
    name: { type: 'text', primary: true },
    status: { type: 'text', default: 'installing' },
    source: { type: 'text' },
    tar_url: { type: 'text', nullable: true },
    sha256: { type: 'text', nullable: true },
    fasta: { type: 'text', nullable: true },
    index_kind: { type: 'text', nullable: true },
    index_prefix: { type: 'text', nullable: true },
    annotation: { type: 'text', nullable: true },
    vector_contigs: { type: 'simple-json', default: '[]' },
    contigs: { type: 'simple-json', nullable: true },
    total_length: { type: 'integer', nullable: true },
    disk_bytes: { type: 'integer', nullable: true },
    error: { type: 'text', nullable: true },
    created_at: { type: 'datetime', createDate: true },
    updated_at: { type: 'datetime', updateDate: true },
  },
});

export const GenomeJobEntity = new EntitySchema<GenomeJob>({
  name: 'GenomeJob',
  tableName: 'genome_jobs',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    genome: { type: 'text' },
    kind: { type: 'text' },
    status: { type: 'text', default: 'pending' },
    tar_url: { type: 'text', nullable: true },
    sha256: { type: 'text', nullable: true },
    requested_by_run: { type: 'text', nullable: true },
    pgid: { type: 'integer', nullable: true },
    worker_id: { type: 'text', nullable: true },
    log_file: { type: 'text', nullable: true },
    exit_code: { type: 'integer', nullable: true },
    error_message: { type: 'text', nullable: true },
    created_at: { type: 'datetime', createDate: true },
    started_at: { type: 'datetime', nullable: true },
    completed_at: { type: 'datetime', nullable: true },
  },
});
