import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openAsBlob } from 'node:fs';
import { join, resolve } from 'node:path';
import { fixtureDir, ReadPair, simulatedPair } from './fixtures';
import { TestStack, waitFor } from './stack';

const DEMO_CLI = resolve(__dirname, '../../dist/apps/api/libs/genomes/src/demo-genome-cli.js');

/** The demo genome files (genome.fa with chr1..3 + vector, genes.gtf), cached per seed. */
export function demoGenomeFiles(seed = 1): { dir: string; fasta: string; gtf: string } {
  const dir = fixtureDir(`demo-genome-s${seed}`);
  const fasta = join(dir, 'genome.fa');
  const gtf = join(dir, 'genes.gtf');
  if (!existsSync(join(dir, 'vector_contigs.txt'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync(process.execPath, [DEMO_CLI, '--out', dir, '--seed', String(seed)]);
  }
  return { dir, fasta, gtf };
}

/**
 * Simulated read pairs drawn from the demo genome of `genomeSeed` (simulate-cli --reference:
 * host chromosomes, vector and duplicated regions), cached like simulatedPair.
 */
export function demoGenomeReads(
  pairs: number,
  seed = 1,
  extra: { scenario?: string; umi?: number; mispriming?: number } = {},
  genomeSeed = 1,
): ReadPair {
  const { dir } = demoGenomeFiles(genomeSeed);
  return simulatedPair(pairs, seed, extra, { dir, tag: `demo-genome-s${genomeSeed}` });
}

/** Waits until the genome reaches one of the statuses; returns GET /genomes/{name}. */
export async function waitGenome(
  stack: TestStack,
  name: string,
  statuses: string[],
  timeoutMs = 120_000,
): Promise<any> {
  let last: any;
  await waitFor(
    async () => {
      const res = await stack.get(`/genomes/${name}`);
      last = res.body;
      return res.status === 200 && statuses.includes(last.status);
    },
    `genome ${name} to become ${statuses.join('|')}`,
    timeoutMs,
    () => JSON.stringify(last),
  );
  return last;
}

/** Adds the demo genome through the API (POST /genomes, as start.sh does) and waits until ready. */
export async function installDemoGenome(stack: TestStack, name = 'demo'): Promise<any> {
  const existing = await stack.get(`/genomes/${name}`);
  if (existing.status === 200 && existing.body.status === 'ready') return existing.body;
  const { fasta, gtf } = demoGenomeFiles();
  const form = new FormData();
  form.append('name', name);
  form.append('source', 'demo');
  form.append('vector_contigs', 'vector');
  form.append('fasta', await openAsBlob(fasta), 'genome.fa');
  form.append('annotation', await openAsBlob(gtf), 'genes.gtf');
  const res = await stack.request('POST', '/genomes', form);
  if (res.status !== 202)
    throw new Error(`POST /genomes: ${res.status} ${JSON.stringify(res.body)}`);
  return waitGenome(stack, name, ['ready', 'failed']);
}
