/**
 * Speed of site_analysis against the lab's first pipeline (issue #5, "Speed, measured"):
 * `npm run bench:site-speed [-- --pairs 1000000 --repeat 2 ...]` (after `npm run build`, so that
 * our site CLI runs as the worker runs it, compiled).
 *
 * On one cached BAM of simulated read pairs (bench/support/site-speed-data.ts: demo genome,
 * simulator, umi tool, the pipeline's cutadapt passes, bwa mem), side by side in one run and
 * alternating, each measured with `/usr/bin/time -v`:
 *   ours  libs/sites/src/site-cli (every d 0..max, annotation, xlsx, plots, UMIs);
 *   lab   bench/lab-reference/lab-sites.sh (every D 0..max; no annotation, UMIs, Excel, plots).
 * Best wall time of --repeat runs each; peak RSS is the largest over the runs, of the largest
 * single process of the command's tree (GNU time's ru_maxrss: for the lab's pipe of samtools,
 * awk and sort this is its biggest process, not the sum). Target: ours >= 10x faster.
 * For information it also prints the sites per merge distance of both and how many sit on a true
 * junction of the simulation (exactly / within 3 bp).
 *
 * Options (all optional): --pairs N (1000000) --seed S (1) --sites N (1000, simulated sites)
 * --repeat N (2) --threads N (2: both contenders, bwa, cutadapt) --max-d N (10)
 * --merge-distance N (5) --cache DIR (QSLAM_BENCH_CACHE or <tmpdir>/qslam-bench-cache)
 * --site-arg ARG (repeatable: extra argument for our site CLI) --lab-only.
 * Prints tables and writes bench/out/site-speed.json. Exits 1 when our site CLI is missing or
 * fails (after measuring the lab's).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_LTR_REMAINDER } from '@qslam/fastq';
import { ensureSpeedBam, SpeedData } from './support/site-speed-data';
import { matchTruth, readSiteKeys, SiteKey, TruthMatch } from './support/site-tables';
import { Measurement, timed } from './support/tool-process';

const ROOT = resolve(__dirname, '..');
const LAB_SCRIPT = join(ROOT, 'bench/lab-reference/lab-sites.sh');
const SITE_CLI = 'libs/sites/src/site-cli';

interface Options {
  pairs: number;
  seed: number;
  sites: number;
  repeat: number;
  threads: number;
  maxD: number;
  mergeDistance: number;
  cache: string;
  siteArgs: string[];
  labOnly: boolean;
}

const NUMERIC = {
  '--pairs': 'pairs',
  '--seed': 'seed',
  '--sites': 'sites',
  '--repeat': 'repeat',
  '--threads': 'threads',
  '--max-d': 'maxD',
  '--merge-distance': 'mergeDistance',
} as const;

function parseArgs(argv: string[]): Options {
  const o: Options = {
    pairs: 1_000_000,
    seed: 1,
    sites: 1000,
    repeat: 2,
    threads: 2,
    maxD: 10,
    mergeDistance: 5,
    cache: process.env.QSLAM_BENCH_CACHE ?? join(tmpdir(), 'qslam-bench-cache'),
    siteArgs: [],
    labOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--lab-only') {
      o.labOnly = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    if (flag === '--cache') o.cache = resolve(value);
    else if (flag === '--site-arg') o.siteArgs.push(value);
    else if (flag in NUMERIC && /^\d+$/.test(value)) {
      o[NUMERIC[flag as keyof typeof NUMERIC]] = Number(value);
    } else throw new Error(`bad argument ${flag} ${value}`);
  }
  if (o.repeat < 1 || o.threads < 1 || o.pairs < 1)
    throw new Error('--pairs, --repeat, --threads >= 1');
  return o;
}

/** Our site CLI as the worker runs it (compiled), else from the sources (compile time included). */
function siteCliArgv(): { argv: string[]; how: string } | null {
  for (const app of ['worker', 'api']) {
    const js = join(ROOT, 'dist/apps', app, `${SITE_CLI}.js`);
    if (existsSync(js)) return { argv: [process.execPath, js], how: `compiled (${js})` };
  }
  const ts = join(ROOT, `${SITE_CLI}.ts`);
  if (!existsSync(ts)) return null;
  const loaders = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
  return {
    argv: [process.execPath, ...loaders, ts],
    how: 'from the TypeScript sources with ts-node (transpiling included; run `npm run build`)',
  };
}

interface Contender {
  name: string;
  /** Command line writing into `out`. */
  argv: (out: string) => string[];
  /** sites.d{d}.tsv of a finished run. */
  table: (out: string, d: number) => string;
  env?: NodeJS.ProcessEnv;
  /** Seconds per phase of a finished run, as the run reports them. */
  phases?: (out: string) => Record<string, number> | undefined;
  runs: Measurement[];
  error?: string;
}

function ourSiteCli(o: Options, data: SpeedData, cli: string[]): Contender {
  return {
    name: 'ours: site-cli (all d, annotation, xlsx, plots)',
    argv: (out) => [
      ...cli,
      ...['--bam', data.bam, '--out-dir', out, '--annotation', data.gtf],
      ...['--vector-contig', data.vectorContig, '--umi', '--ltr-remainder', DEFAULT_LTR_REMAINDER],
      ...['--threads', String(o.threads)],
      ...['--merge-distance', String(o.mergeDistance), '--max-merge-distance', String(o.maxD)],
      ...o.siteArgs,
    ],
    table: (out, d) => {
      const nested = join(out, 'bed2peak', `sites.d${d}.tsv`);
      return existsSync(nested) ? nested : join(out, `sites.d${d}.tsv`);
    },
    phases: (out) => {
      const file = join(out, 'bed2peak', 'summary.json');
      if (!existsSync(file)) return undefined;
      return (JSON.parse(readFileSync(file, 'utf8')) as { seconds?: Record<string, number> })
        .seconds;
    },
    runs: [],
  };
}

function labReference(o: Options, data: SpeedData): Contender {
  return {
    name: 'lab: lab-sites.sh (all D, no annotation)',
    argv: (out) => ['bash', LAB_SCRIPT, data.bam, out, String(o.maxD)],
    table: (out, d) => join(out, `sites.d${d}.tsv`),
    env: { ...process.env, THREADS: String(o.threads) },
    runs: [],
  };
}

function measure(c: Contender, out: string): void {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    const m = timed(c.argv(out), `${out}.time.txt`, c.env);
    c.runs.push(m);
    const phases = c.phases?.(out);
    const split = phases
      ? ` (${Object.entries(phases)
          .map(([phase, s]) => `${phase} ${s.toFixed(2)}`)
          .join(', ')})`
      : '';
    console.log(`  ${c.name}: ${m.wallS.toFixed(2)} s, ${m.maxRssMb.toFixed(0)} MB${split}`);
  } catch (err) {
    c.error = err instanceof Error ? err.message : String(err);
    console.log(`  ${c.name}: FAILED\n${c.error}`);
  }
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

function speedRows(contenders: Contender[]) {
  const best = (c: Contender) => Math.min(...c.runs.map((r) => r.wallS));
  const lab = contenders.find((c) => c.name.startsWith('lab'))!;
  return contenders.map((c) => ({
    implementation: c.name,
    wall_s_best: c.runs.length ? round(best(c)) : null,
    wall_s_runs: c.runs.map((r) => round(r.wallS)).join(', '),
    peak_rss_mb: c.runs.length ? round(Math.max(...c.runs.map((r) => r.maxRssMb)), 0) : null,
    lab_over_this: c.runs.length && lab.runs.length ? round(best(lab) / best(c), 1) : null,
    error: c.error?.split('\n')[0] ?? '',
  }));
}

function siteRows(o: Options, contenders: Contender[], outs: string[], truth: SiteKey[]) {
  const rows: Record<string, string | number>[] = [];
  for (let d = 0; d <= o.maxD; d++) {
    const row: Record<string, string | number> = { d };
    contenders.forEach((c, i) => {
      const sites = readSiteKeys(c.table(outs[i], d));
      const m: TruthMatch | null = sites && matchTruth(sites, truth);
      const tag = c.name.split(':')[0];
      row[`${tag}_sites`] = m ? m.sites : '-';
      row[`${tag}_exact`] = m ? m.exact : '-';
      row[`${tag}_within_3bp`] = m ? m.near : '-';
    });
    rows.push(row);
  }
  return rows;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  console.log(`site-speed: ${o.pairs} pairs, ${cpus().length} CPUs, best of ${o.repeat}`);
  const data = await ensureSpeedBam(
    { ...o, umiLength: 10, mispriming: 0.1, cacheRoot: o.cache },
    (message) => console.log(`  data: ${message}`),
  );
  console.log(`  BAM: ${data.bam}`);
  const cli = o.labOnly ? null : siteCliArgv();
  const missing = o.labOnly
    ? 'skipped (--lab-only)'
    : `our site CLI ${SITE_CLI}.ts does not exist yet (nor its build): nothing to compare with`;
  if (cli) console.log(`  our site CLI: ${cli.how}`);
  const contenders = [labReference(o, data)];
  if (cli) contenders.push(ourSiteCli(o, data, cli.argv));
  const work = mkdtempSync(join(tmpdir(), 'qslam-site-speed-'));
  const outs = contenders.map((_, i) => join(work, `out${i}`));
  try {
    for (let rep = 1; rep <= o.repeat; rep++) {
      console.log(`repetition ${rep}/${o.repeat}`);
      contenders.forEach((c, i) => c.error === undefined && measure(c, outs[i]));
    }
    const speed = speedRows(contenders);
    console.table(speed);
    const truth = readSiteKeys(data.truth) ?? [];
    const sites = siteRows(o, contenders, outs, truth);
    console.log(
      `sites per merge distance (lab: kept by fragments > 1 or reads > 5), and how many sit on ` +
        `one of the ${truth.length} true junctions (exactly / within 3 bp, same strand):`,
    );
    console.table(sites);
    const result = { pairs: o.pairs, cpus: cpus().length, options: o, bam: data.bam, speed, sites };
    mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/out/site-speed.json'), JSON.stringify(result, null, 2));
    const ours = contenders[1];
    if (!ours) console.error(`site-speed: ${missing}`);
    else if (ours.error) console.error(`site-speed: our site CLI failed: ${ours.error}`);
    if (!ours || ours.error || contenders[0].error) process.exitCode = 1;
    else {
      const ratio = speed[1].lab_over_this ?? 0;
      console.log(
        `ours is ${ratio}x faster than the lab's (target >= 10x): ${ratio >= 10 ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
