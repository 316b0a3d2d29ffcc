/**
 * `npm run demo`: the whole pipeline on a simulated library, through the HTTP API, offline.
 *
 * 1. Uses the server at QSLAM_URL (default http://127.0.0.1:$PORT, PORT 5000); when none
 *    answers, starts one (`serve`: API + one worker, embedded defaults, data in
 *    QSLAM_DATA_DIR or ./data) and stops it at the end.
 * 2. Makes sure the `demo` genome is installed (`POST /genomes` with the generated demo genome
 *    when it is missing; `npm run serve`, hence `scripts/start.sh`, installs it too: both use
 *    scripts/demo-genome.ts).
 * 3. Simulates a library with known truth from the demo genome (UMIs in R2, a little
 *    mispriming), creates a run, runs qc → umi → cutadapt → fastp → readlen → read_mapping →
 *    site_analysis one after another, and prints the top sites, the clone statistics and where
 *    the report files are.
 * Nothing here bypasses the API: it is what a lab user's client does.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  apiAnswers,
  apiRequest,
  ensureDemoGenome,
  Json,
  runTool,
  writeDemoGenomeFiles,
} from './demo-genome';

const SERVE = path.join(__dirname, 'serve.js');
const PORT = process.env.PORT ?? '5000';
const BASE = (process.env.QSLAM_URL ?? `http://127.0.0.1:${PORT}`).replace(/\/$/, '');
const PAIRS = Number(process.env.QSLAM_DEMO_PAIRS ?? 20000);
const UMI_LENGTH = 10;
const STEPS = ['qc', 'umi', 'cutadapt', 'fastp', 'readlen', 'read_mapping', 'site_analysis'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (text: string) => console.log(`[demo] ${text}`);
const api = (method: string, url: string, body?: FormData) => apiRequest(BASE, method, url, body);

async function ensureServer(): Promise<ChildProcess | null> {
  if (await apiAnswers(BASE)) {
    say(`using the server at ${BASE}`);
    return null;
  }
  say(`no server at ${BASE}: starting one (API + worker)`);
  // The demo installs the genome itself (below), so the server it starts does not.
  const server = spawn(process.execPath, [SERVE], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, QSLAM_DEMO_GENOME: '0' },
  });
  for (let i = 0; i < 120; i++) {
    if (await apiAnswers(BASE)) return server;
    if (server.exitCode !== null) throw new Error('the server exited; see the messages above');
    await sleep(500);
  }
  throw new Error(`the server did not answer at ${BASE} within 60 s`);
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, seconds = 1800) {
  for (let i = 0; i < seconds * 2; i++) {
    const value = await probe();
    if (value !== null) return value;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function runStep(runId: string, step: string): Promise<void> {
  const started = Date.now();
  const { job_id } = await api('POST', `/runs/${runId}/${step}`);
  const job = await waitFor(step, async () => {
    const status = await api('GET', `/runs/${runId}/status`);
    const entry = status.step_history.find((h: Json) => h.job_id === job_id);
    return ['completed', 'failed', 'killed'].includes(entry?.status) ? entry : null;
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (job.status !== 'completed') {
    throw new Error(
      `${step} ${job.status}: ${job.error_message ?? ''} (GET /runs/${runId}/${step}/logs)`,
    );
  }
  say(`${step.padEnd(13)} completed in ${seconds} s`);
}

function printSites(result: Json): void {
  const rows: Json[] = result.top_sites ?? [];
  const header = [
    'chrom',
    'position',
    'strand',
    'fragments',
    'umis',
    'reads',
    'estimated_cells',
    'gene',
    'gene_region',
  ];
  console.log('\n' + header.join('\t'));
  for (const row of rows.slice(0, 15)) {
    console.log(
      header
        .map((h) => {
          const v = row[h];
          return typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : String(v ?? '');
        })
        .join('\t'),
    );
  }
}

async function main(): Promise<void> {
  const server = await ensureServer();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-demo-'));
  try {
    const genomeDir = writeDemoGenomeFiles(path.join(work, 'genome')).dir;
    await ensureDemoGenome(BASE, genomeDir, say);
    const reads = path.join(work, 'reads');
    say(`simulating ${PAIRS} read pairs from the demo genome (truth in ${reads}/truth.tsv)`);
    runTool('fastq/src/simulate-cli.js', [
      '--out',
      reads,
      '--pairs',
      String(PAIRS),
      '--seed',
      '7',
      '--umi',
      String(UMI_LENGTH),
      '--mispriming',
      '0.05',
      '--reference',
      genomeDir,
    ]);
    const form = new FormData();
    form.set('name', 'demo library');
    form.set('genome', 'demo');
    form.set('umi_read', 'R2');
    form.set('umi_pattern', 'N'.repeat(UMI_LENGTH));
    form.set('r1_min_overlap', '20');
    form.set('R1', await fs.openAsBlob(path.join(reads, 'R1.fastq.gz')), 'demo_R1.fastq.gz');
    form.set('R2', await fs.openAsBlob(path.join(reads, 'R2.fastq.gz')), 'demo_R2.fastq.gz');
    const run = await api('POST', '/runs', form);
    say(`run ${run.run_id} created (${run.upload.records} read pairs)`);
    for (const step of STEPS) await runStep(run.run_id, step);
    const result = await api('GET', `/runs/${run.run_id}/results/site_analysis`);
    const summary = result.summary ?? result;
    printSites(summary);
    const stats = summary.clone_statistics ?? summary.clones;
    if (stats) console.log('\nclone statistics: ' + JSON.stringify(stats));
    console.log('\nreport files (GET /runs/' + run.run_id + '/files/{path}):');
    for (const file of summary.files ?? []) console.log(`  ${file}`);
    console.log(`\nthe truth of this library: ${path.join(reads, 'truth.tsv')}`);
  } finally {
    if (server) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  }
}

main().catch((err: Error) => {
  console.error(`[demo] ${err.message}`);
  process.exit(1);
});
