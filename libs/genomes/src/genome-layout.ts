// Where a genome's files live, in one place (the API, the worker and the resolver agree):
//
//   references/{name}/
//   ├── index/                  # the installed genome: aligner index, FASTA + .fai, annotation
//   ├── logs/{kind}.{job}.log   # build/install job: log, .rc, .pid, .json (job script)
//   ├── source/                 # uploads of POST /genomes until the build has used them
//   ├── .download/archive       # the tarball being downloaded (archive.part while incomplete)
//   └── .staging-{job}/         # what a job is building or extracting; renamed to index/ once
//                               # verified, removed when the job fails
//
// Only `index/` is ever presented as the genome, so a genome is never half installed. Paths
// stored in the genomes table are relative to the genome directory.

import { join, relative, resolve, sep } from 'node:path';
import { checkGenomeName } from './genome-name';

export const INSTALLED_DIR = 'index';
export const MANIFEST_FILE = '.qslam-genome.json';

export interface GenomeJobFiles {
  log: string;
  rc: string;
  pid: string;
  script: string;
}

export class GenomeLayout {
  readonly dir: string;

  constructor(
    readonly referencesDir: string,
    readonly name: string,
  ) {
    checkGenomeName(name);
    this.dir = resolve(referencesDir, name);
    if (this.dir !== join(resolve(referencesDir), name)) {
      throw new Error(`genome directory of '${name}' leaves ${referencesDir}`);
    }
  }

  get installedDir(): string {
    return join(this.dir, INSTALLED_DIR);
  }

  get logsDir(): string {
    return join(this.dir, 'logs');
  }

  get sourceDir(): string {
    return join(this.dir, 'source');
  }

  get downloadDir(): string {
    return join(this.dir, '.download');
  }

  get archive(): string {
    return join(this.downloadDir, 'archive');
  }

  stagingDir(jobId: number): string {
    return join(this.dir, `.staging-${jobId}`);
  }

  manifest(jobId: number): string {
    return join(this.stagingDir(jobId), MANIFEST_FILE);
  }

  jobFiles(kind: string, jobId: number): GenomeJobFiles {
    const base = join(this.logsDir, `${kind}.${jobId}`);
    return { log: `${base}.log`, rc: `${base}.rc`, pid: `${base}.pid`, script: `${base}.json` };
  }

  /** Absolute path of a path stored relative to the genome directory; refuses to leave it. */
  path(rel: string): string {
    const abs = resolve(this.dir, rel);
    const back = relative(this.dir, abs);
    if (back === '' || back.startsWith('..') || back.split(sep).includes('..')) {
      throw new Error(`genome path '${rel}' leaves ${this.dir}`);
    }
    return abs;
  }
}
