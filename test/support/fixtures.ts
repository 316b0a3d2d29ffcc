import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DIST_LIBS = resolve(__dirname, '../../dist/apps/api/libs');
const SIMULATOR = join(DIST_LIBS, 'fastq/src/simulate-cli.js');

let generatorHash: string | null = null;

/**
 * Cache folder of a generated fixture, keyed by a hash of the compiled generators (the simulator
 * and the demo genome), so that a changed generator never serves files of an older one.
 */
export function fixtureDir(name: string): string {
  if (generatorHash === null) {
    const hash = createHash('sha1');
    for (const lib of ['fastq/src', 'genomes/src']) {
      const dir = join(DIST_LIBS, lib);
      for (const f of readdirSync(dir)
        .filter((n) => n.endsWith('.js'))
        .sort()) {
        hash.update(f).update(readFileSync(join(dir, f)));
      }
    }
    generatorHash = hash.digest('hex').slice(0, 10);
  }
  return join(tmpdir(), 'qslam-fixtures', generatorHash, name);
}

export interface ReadPair {
  dir: string;
  r1: string;
  r2: string;
}

/** A demo-genome directory to simulate from (simulate-cli --reference), and its cache tag. */
export interface SimReferenceDir {
  dir: string;
  tag: string;
}

/**
 * Simulated qsLAM-PCR read pairs (DOMAIN.md read structure) from the project's simulator,
 * cached per (pairs, seed, options) in the temp dir so that test files share them. Without
 * `reference` the simulator draws a random 200 kb genome of its own.
 */
export function simulatedPair(
  pairs: number,
  seed = 1,
  extra: { scenario?: string; umi?: number; mispriming?: number } = {},
  reference?: SimReferenceDir,
): ReadPair {
  const options = Object.entries(extra).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const tag = Object.entries(extra)
    .map(([k, v]) => `-${k}${v}`)
    .join('');
  const ref = reference ? `${reference.tag}-` : '';
  const dir = fixtureDir(`${ref}p${pairs}-s${seed}${tag}`);
  const r1 = join(dir, 'R1.fastq.gz');
  const r2 = join(dir, 'R2.fastq.gz');
  if (!existsSync(join(dir, 'truth.tsv'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync(process.execPath, [
      SIMULATOR,
      '--out',
      dir,
      '--pairs',
      String(pairs),
      '--seed',
      String(seed),
      ...(reference ? ['--reference', reference.dir] : ['--genome-size', '200000']),
      ...options,
    ]);
  }
  return { dir, r1, r2 };
}
