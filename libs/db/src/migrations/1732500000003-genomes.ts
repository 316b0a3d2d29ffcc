/**
 * The shared reference-genome registry (issue #4):
 * - `genomes`: one row per genome under QSLAM_DATA_DIR/references/{name}/, its status
 *   (`installing|ready|failed`), where it came from, and once ready the files the aligner and
 *   the site analysis need (paths relative to the genome directory), its contigs and sizes;
 * - `genome_jobs`: the index builds and tarball installs. They cannot live in `jobs`, whose
 *   `run_id` is NOT NULL: a genome job belongs to a genome, and may have been requested by a
 *   run (`requested_by_run`) that shares it with others.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Genomes1732500000003 implements MigrationInterface {
  name = 'Genomes1732500000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE genomes (
    name TEXT PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'installing' CHECK (status IN ('installing', 'ready', 'failed')),
    source TEXT NOT NULL CHECK (source IN ('upload', 'tarball', 'demo')),
    tar_url TEXT,
    sha256 TEXT,
    fasta TEXT,                        -- relative to the genome directory
    index_kind TEXT CHECK (index_kind IN ('bwa', 'bwa-mem2')),
    index_prefix TEXT,                 -- relative to the genome directory
    annotation TEXT,                   -- relative to the genome directory
    vector_contigs TEXT NOT NULL DEFAULT '[]',  -- JSON array of contig names
    contigs TEXT,                      -- JSON array of {name, length}
    total_length INTEGER,
    disk_bytes INTEGER,
    error TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
)`);
    await q.query(`CREATE TABLE genome_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    genome TEXT NOT NULL REFERENCES genomes(name) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('build', 'install')),
    status TEXT NOT NULL DEFAULT 'pending',
    tar_url TEXT,
    sha256 TEXT,
    requested_by_run TEXT,
    pgid INTEGER,
    worker_id TEXT,
    log_file TEXT,
    exit_code INTEGER,
    error_message TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    started_at TIMESTAMP,
    completed_at TIMESTAMP
)`);
    await q.query(`CREATE INDEX idx_genome_jobs_genome ON genome_jobs(genome, id)`);
    await q.query(`CREATE INDEX idx_genome_jobs_status ON genome_jobs(status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE genome_jobs`);
    await q.query(`DROP TABLE genomes`);
  }
}
