/**
 * The demo genome through the HTTP API, shared by `npm run serve` (which `scripts/start.sh`
 * runs: a new user gets a genome to run the whole pipeline offline) and `npm run demo`.
 *
 * `writeDemoGenomeFiles` generates the files with the project's demo-genome tool (genome.fa with
 * chr1..chr3 and the `vector` contig, genes.gtf); `ensureDemoGenome` adds them with
 * `POST /genomes` when the server has no `demo` genome (or it failed) and waits until it is
 * ready. Nothing here bypasses the API: it is what a lab user's client does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The compiled libraries next to the compiled scripts (dist/apps/api/libs). */
export const DIST_LIBS = path.resolve(__dirname, '..', 'libs');
export const DEMO_GENOME_NAME = 'demo';

// Loosely typed JSON documents of the API (these clients print them, they do not model them).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** An API answer that is not 2xx; `status` is the HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request to the API at `base`; resolves with the JSON body, rejects with ApiError. */
export async function apiRequest(
  base: string,
  method: string,
  url: string,
  body?: FormData,
): Promise<Json> {
  const res = await fetch(`${base}${url}`, { method, body });
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { message: text };
  }
  if (!res.ok) {
    throw new ApiError(`${method} ${url} → ${res.status}: ${json?.message ?? text}`, res.status);
  }
  return json;
}

/** Whether the API at `base` answers its health check. */
export async function apiAnswers(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/health`)).ok;
  } catch {
    return false;
  }
}

/** Runs one of the project's compiled tools (simulator, demo genome), argument array only. */
export function runTool(rel: string, args: string[]): void {
  const result = spawnSync(process.execPath, [path.join(DIST_LIBS, rel), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`${rel} failed (exit ${result.status})`);
}

/** Writes the demo genome files into `dir` (same seed, same files). */
export function writeDemoGenomeFiles(dir: string): { dir: string; fasta: string; gtf: string } {
  runTool('genomes/src/demo-genome-cli.js', ['--out', dir]);
  return { dir, fasta: path.join(dir, 'genome.fa'), gtf: path.join(dir, 'genes.gtf') };
}

/**
 * Makes sure the server at `base` has the `demo` genome ready: adds it from the files in
 * `genomeDir` (writeDemoGenomeFiles; a function is called only when the files are needed) when
 * it is missing or failed, waits while it is being indexed, and resolves with
 * GET /genomes/demo. Rejects when the build fails.
 */
export async function ensureDemoGenome(
  base: string,
  genomeDir: string | (() => string),
  say: (text: string) => void,
  timeoutSeconds = 1800,
): Promise<Json> {
  const url = `/genomes/${DEMO_GENOME_NAME}`;
  const current = await apiRequest(base, 'GET', url).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  });
  if (current?.status === 'ready') {
    say(`genome ${DEMO_GENOME_NAME} is ready`);
    return current;
  }
  if (!current || current.status === 'failed') {
    say(`installing the ${DEMO_GENOME_NAME} genome (bwa index of 600 kb: a few seconds)`);
    const dir = typeof genomeDir === 'string' ? genomeDir : genomeDir();
    const form = new FormData();
    form.set('name', DEMO_GENOME_NAME);
    form.set('source', 'demo');
    form.set('vector_contigs', 'vector');
    form.set('fasta', await fs.openAsBlob(path.join(dir, 'genome.fa')), 'genome.fa');
    form.set('annotation', await fs.openAsBlob(path.join(dir, 'genes.gtf')), 'genes.gtf');
    await apiRequest(base, 'POST', '/genomes', form);
  }
  for (let i = 0; i < timeoutSeconds * 2; i++) {
    const genome = await apiRequest(base, 'GET', url);
    if (genome.status === 'failed') {
      throw new Error(
        `the ${DEMO_GENOME_NAME} genome failed: ${genome.error} (GET ${url}/log for the log)`,
      );
    }
    if (genome.status === 'ready') {
      say(`genome ${DEMO_GENOME_NAME} is ready`);
      return genome;
    }
    await sleep(500);
  }
  throw new Error(`timed out waiting for the ${DEMO_GENOME_NAME} genome`);
}
