/**
 * Accuracy of site_analysis against the simulator's truth, beside the lab's first pipeline on the
 * same data (issue #5, "Correctness, measured"):
 *
 *   npm run build && npm run bench:sites-accuracy [-- --pairs 200000 --seeds 1,2,3 ...]
 *
 * For every scenario and seed (sim-scenarios.ts: default, no-umi, high-mispriming, dense) one BAM
 * is made the way the pipeline makes it and cached (bench/support/site-speed-data.ts: demo genome
 * with its vector contig and duplicated segments, simulator, umi tool with the UMI on R2, the
 * pipeline's two cutadapt passes with r1_min_overlap 20, fastp, bwa mem | samtools sort). Then
 *   ours  dist/apps/api/libs/sites/src/site-cli.js, compiled, as the worker runs it (run defaults:
 *         min_mapq 20, merge_distance 5, UMIs when the library has them), bed2peak/sites.tsv;
 *   lab   bench/lab-reference/lab-sites.sh, its sites.d5.tsv;
 * and both tables are compared with truth.tsv by evaluateSites (libs/fastq/src/site-truth.ts):
 * 3-bp tolerance, recall over the true sites with >= 3 read pairs (multimapping ones excluded,
 * they cannot be placed), truth merged at d = 5 like the callers merge. Targets (issue #5):
 * precision >= 0.99, recall >= 0.98, exact >= 95 %, Spearman with true cells >= 0.95 (fragments)
 * and >= 0.98 (UMIs).
 *
 * Then the min_mapq sweep: our CLI with --min-mapq 0, 1, 5, 10, 20, 30 (--mapq LIST) on the same
 * BAMs, and on `default` libraries of the same seeds whose duplicated segments were made to
 * diverge (--divergence LIST, default 0.01,0.03: that fraction of the bases of each second copy
 * substituted; the demo genome's copies are exact, so bwa gives their reads MAPQ 0 and all others
 * 60, and only diverged copies produce the intermediate qualities a threshold decides on):
 * precision, recall, the R1 reads removed as low_mapq, the calls inside duplicated segments
 * (matched to the true site in its copy, or false positives there: the wrong copy) - the data
 * behind the default min_mapq.
 *
 * Options: --pairs N (200000) --seeds LIST (1,2,3) --scenarios LIST (all) --mapq LIST
 * (0,1,5,10,20,30) --divergence LIST (0.01,0.03; 0 = none) --threads N (2) --cache DIR (QSLAM_BENCH_CACHE or <tmpdir>/qslam-bench-cache)
 * --no-lab --no-sweep. Prints tables; writes bench/out/site-accuracy.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DEFAULT_LTR_REMAINDER,
  evaluateSites,
  isScenarioName,
  parseBedRegions,
  parseSitesTsv,
  parseTruthTsv,
  Region,
  SCENARIO_NAMES,
  ScenarioName,
  SiteAccuracy,
  TruthSite,
} from '@qslam/fastq';
import { ensureSpeedBam, SpeedData } from './support/site-speed-data';

const ROOT = resolve(__dirname, '..');
const SITE_CLI = join(ROOT, 'dist/apps/api/libs/sites/src/site-cli.js');
const LAB_SCRIPT = join(ROOT, 'bench/lab-reference/lab-sites.sh');
const MERGE_DISTANCE = 5;
/** The pipeline settings of the libraries: cutadapt with a minimum primer overlap of 20. */
const RUN_PARAMS = { r1_min_overlap: 20 };

interface Options {
  pairs: number;
  seeds: number[];
  scenarios: ScenarioName[];
  mapq: number[];
  divergence: number[];
  threads: number;
  cache: string;
  lab: boolean;
  sweep: boolean;
}

function list(value: string): string[] {
  return value.split(',').filter((v) => v !== '');
}

function integers(flag: string, value: string): number[] {
  const out = list(value).map(Number);
  if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < 0))
    throw new Error(`${flag} needs a comma-separated list of whole numbers, got '${value}'`);
  return out;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    pairs: 200_000,
    seeds: [1, 2, 3],
    scenarios: [...SCENARIO_NAMES],
    mapq: [0, 1, 5, 10, 20, 30],
    divergence: [0.01, 0.03],
    threads: 2,
    cache: process.env.QSLAM_BENCH_CACHE ?? join(tmpdir(), 'qslam-bench-cache'),
    lab: true,
    sweep: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--no-lab' || flag === '--no-sweep') {
      o[flag === '--no-lab' ? 'lab' : 'sweep'] = false;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    if (flag === '--pairs') [o.pairs] = integers(flag, value);
    else if (flag === '--threads') [o.threads] = integers(flag, value);
    else if (flag === '--seeds') o.seeds = integers(flag, value);
    else if (flag === '--mapq') o.mapq = integers(flag, value);
    else if (flag === '--divergence') {
      o.divergence = list(value).map(Number);
      if (o.divergence.some((x) => !(x >= 0 && x < 0.5)))
        throw new Error(`--divergence needs rates in [0, 0.5), got '${value}'`);
      o.divergence = o.divergence.filter((x) => x > 0);
    } else if (flag === '--cache') o.cache = resolve(value);
    else if (flag === '--scenarios') {
      const names = list(value);
      const bad = names.find((n) => !isScenarioName(n));
      if (bad !== undefined || names.length === 0)
        throw new Error(`--scenarios: one or more of ${SCENARIO_NAMES.join(', ')}`);
      o.scenarios = names as ScenarioName[];
    } else throw new Error(`unknown argument ${flag}`);
  }
  if (o.pairs < 1 || o.threads < 1) throw new Error('--pairs and --threads must be >= 1');
  return o;
}

function run(argv: string[], env: NodeJS.ProcessEnv = process.env): void {
  const res = spawnSync(argv[0], argv.slice(1), {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error || res.status !== 0) {
    const stderr = res.stderr?.toString().slice(-2000) ?? '';
    throw new Error(
      `${argv.join(' ')} failed: ${res.error?.message ?? `exit ${res.status}`}\n${stderr}`,
    );
  }
}

interface Library {
  /** The scenario, with the divergence of the duplicated segments when there is one. */
  label: string;
  scenario: ScenarioName;
  seed: number;
  data: SpeedData;
  truth: TruthSite[];
  duplicated: Region[];
}

/** Our site CLI on a library; returns the primary sites table and the summary.json. */
function runOurs(lib: Library, out: string, o: Options, minMapq?: number) {
  rmSync(out, { recursive: true, force: true });
  const argv = [
    process.execPath,
    SITE_CLI,
    ...['--bam', lib.data.bam, '--out-dir', out, '--annotation', lib.data.gtf],
    ...['--vector-contig', lib.data.vectorContig, '--ltr-remainder', DEFAULT_LTR_REMAINDER],
    ...['--threads', String(o.threads), '--merge-distance', String(MERGE_DISTANCE)],
    ...(minMapq === undefined ? [] : ['--min-mapq', String(minMapq)]),
    ...(lib.data.umiLength > 0 ? ['--umi'] : []),
  ];
  const t0 = Date.now();
  run(argv);
  const seconds = (Date.now() - t0) / 1000;
  const sites = readFileSync(join(out, 'bed2peak', 'sites.tsv'), 'utf8');
  const summary = JSON.parse(readFileSync(join(out, 'bed2peak', 'summary.json'), 'utf8')) as {
    attrition: { step: string; removed: number }[];
    r1_records: number;
  };
  return { sites, summary, seconds };
}

function runLab(lib: Library, out: string, o: Options) {
  rmSync(out, { recursive: true, force: true });
  const t0 = Date.now();
  run(['bash', LAB_SCRIPT, lib.data.bam, out, String(MERGE_DISTANCE)], {
    ...process.env,
    THREADS: String(o.threads),
  });
  const seconds = (Date.now() - t0) / 1000;
  return { sites: readFileSync(join(out, `sites.d${MERGE_DISTANCE}.tsv`), 'utf8'), seconds };
}

function evaluate(lib: Library, table: string): SiteAccuracy {
  return evaluateSites(parseSitesTsv(table), lib.truth, {
    tolerance: 3,
    minReads: 3,
    mergeDistance: MERGE_DISTANCE,
    vectorContigs: [lib.data.vectorContig],
    duplicatedRegions: lib.duplicated,
  });
}

const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

function accuracyRow(impl: string, lib: Library, a: SiteAccuracy, seconds: number) {
  return {
    scenario: lib.label,
    seed: lib.seed,
    impl,
    called: a.called,
    eligible: a.eligible,
    precision: r3(a.precision),
    recall: r3(a.recall),
    exact_pct: Math.round(a.exactFraction * 1000) / 10,
    spearman_fragments: r3(a.spearmanFragments),
    spearman_umis: r3(a.spearmanUmis),
    /** The best a caller can reach: cells hidden by host parts too short to map. */
    spearman_ceiling: r3(a.spearmanCeiling),
    fp: Object.entries(a.falsePositives)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k}:${n}`)
      .join(' '),
    missed: a.missed.closeToOtherSite + a.missed.other,
    seconds: Math.round(seconds * 10) / 10,
  };
}

type Row = ReturnType<typeof accuracyRow>;

function lowMapqRemoved(summary: { attrition: { step: string; removed: number }[] }): number {
  return summary.attrition.find((s) => s.step.startsWith('mapping quality'))?.removed ?? 0;
}

/** Mean of the rows of one scenario and implementation (nulls skipped). */
function meanRows(rows: Row[]) {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.scenario}\t${r.impl}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const mean = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length === 0 ? null : v.reduce((s, x) => s + x, 0) / v.length;
  };
  const min = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length === 0 ? null : Math.min(...v);
  };
  return [...groups.values()].map((g) => ({
    scenario: g[0].scenario,
    impl: g[0].impl,
    seeds: g.length,
    precision: r3(mean(g.map((r) => r.precision))),
    precision_min: r3(min(g.map((r) => r.precision))),
    recall: r3(mean(g.map((r) => r.recall))),
    recall_min: r3(min(g.map((r) => r.recall))),
    exact_pct: r3(mean(g.map((r) => r.exact_pct))),
    spearman_fragments: r3(mean(g.map((r) => r.spearman_fragments))),
    spearman_umis: r3(mean(g.map((r) => r.spearman_umis))),
    spearman_ceiling: r3(mean(g.map((r) => r.spearman_ceiling))),
  }));
}

/** A library's BAM (built or from the cache), its truth and its duplicated segments. */
async function library(
  o: Options,
  scenario: ScenarioName,
  seed: number,
  divergence: number,
): Promise<Library> {
  const label = divergence ? `${scenario}+div${divergence}` : scenario;
  console.log(`${label} seed ${seed}:`);
  const data = await ensureSpeedBam(
    {
      pairs: o.pairs,
      seed,
      sites: 0,
      umiLength: 0,
      mispriming: 0,
      threads: o.threads,
      cacheRoot: o.cache,
      scenario,
      params: RUN_PARAMS,
      fastp: true,
      divergence,
    },
    (message) => console.log(`  data: ${message}`),
  );
  return {
    label,
    scenario,
    seed,
    data,
    truth: parseTruthTsv(readFileSync(data.truth, 'utf8')),
    duplicated: existsSync(data.duplications)
      ? parseBedRegions(readFileSync(data.duplications, 'utf8'))
      : [],
  };
}

interface SweepRow {
  scenario: string;
  divergence: number;
  seed: number;
  min_mapq: number;
  called: number;
  precision: number | null;
  recall: number | null;
  exact_pct: number;
  low_mapq_reads: number;
  calls_in_duplicated_segments: number;
  multimapping_true_called: number;
  fp_duplicated_segment: number;
  fp_total: number;
}

/** Our CLI on one library for every min_mapq of the sweep. */
function sweepMapq(lib: Library, o: Options, work: string): SweepRow[] {
  return o.mapq.map((q) => {
    const r = runOurs(lib, join(work, `mapq${q}`), o, q);
    const s = evaluate(lib, r.sites);
    const inSegments = parseSitesTsv(r.sites).filter((c) =>
      lib.duplicated.some(
        (d) => d.chrom === c.chrom && d.start <= c.position && c.position <= d.end,
      ),
    ).length;
    return {
      scenario: lib.label,
      divergence: Number(lib.label.split('+div')[1] ?? 0),
      seed: lib.seed,
      min_mapq: q,
      called: s.called,
      precision: r3(s.precision),
      recall: r3(s.recall),
      exact_pct: Math.round(s.exactFraction * 1000) / 10,
      low_mapq_reads: lowMapqRemoved(r.summary),
      calls_in_duplicated_segments: inSegments,
      multimapping_true_called: s.multimappingCalled,
      fp_duplicated_segment: s.falsePositives.duplicated_segment,
      fp_total: s.called - s.matched,
    };
  });
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(SITE_CLI)) throw new Error(`${SITE_CLI} is missing: run \`npm run build\``);
  console.log(
    `site-accuracy: ${o.pairs} pairs, seeds ${o.seeds.join(',')}, scenarios ` +
      `${o.scenarios.join(',')}, ${cpus().length} CPUs`,
  );
  const work = mkdtempSync(join(tmpdir(), 'qslam-site-accuracy-'));
  const rows: Row[] = [];
  const details: Record<string, unknown>[] = [];
  const sweep: SweepRow[] = [];
  try {
    for (const scenario of o.scenarios) {
      for (const seed of o.seeds) {
        const lib = await library(o, scenario, seed, 0);
        const ours = runOurs(lib, join(work, 'ours'), o);
        const a = evaluate(lib, ours.sites);
        rows.push(accuracyRow('ours', lib, a, ours.seconds));
        details.push({ scenario, seed, impl: 'ours', bam: lib.data.bam, accuracy: a });
        if (o.lab) {
          const lab = runLab(lib, join(work, 'lab'), o);
          const b = evaluate(lib, lab.sites);
          rows.push(accuracyRow('lab', lib, b, lab.seconds));
          details.push({ scenario, seed, impl: 'lab', bam: lib.data.bam, accuracy: b });
        }
        console.table(rows.slice(o.lab ? -2 : -1));
        if (o.sweep) sweep.push(...sweepMapq(lib, o, work));
      }
    }
    if (o.sweep) {
      for (const divergence of o.divergence) {
        for (const seed of o.seeds) {
          sweep.push(...sweepMapq(await library(o, 'default', seed, divergence), o, work));
        }
      }
    }
    console.log('\nper library (ours = site-cli at the run defaults, lab = lab-sites.sh, d = 5):');
    console.table(rows);
    const means = meanRows(rows);
    console.log('mean over seeds (and the worst seed for precision / recall):');
    console.table(means);
    if (o.sweep) {
      console.log('min_mapq sweep (ours):');
      console.table(sweep);
      const groups = [
        { data: 'exact duplicates (all scenarios)', of: (s: SweepRow) => !s.divergence },
        ...o.divergence.map((x) => ({
          data: `default, duplicates diverged ${x * 100}%`,
          of: (s: SweepRow) => s.divergence === x,
        })),
      ];
      const byQ = groups.flatMap(({ data, of }) =>
        o.mapq.map((q) => {
          const g = sweep.filter((s) => of(s) && s.min_mapq === q);
          const sum = (k: keyof SweepRow) => g.reduce((t, s) => t + Number(s[k] ?? 0), 0);
          const mean = (k: keyof SweepRow) => r3(sum(k) / Math.max(1, g.length));
          return {
            data,
            min_mapq: q,
            libraries: g.length,
            precision: mean('precision'),
            recall: mean('recall'),
            low_mapq_reads: sum('low_mapq_reads'),
            calls_in_duplicated_segments: sum('calls_in_duplicated_segments'),
            multimapping_true_called: sum('multimapping_true_called'),
            false_positives: sum('fp_total'),
          };
        }),
      );
      console.log('min_mapq sweep, over all libraries (means; sums of counts):');
      console.table(byQ);
    }
    const result = { options: o, cpus: cpus().length, rows, means, sweep, details };
    mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/out/site-accuracy.json'), JSON.stringify(result, null, 2));
    console.log('written: bench/out/site-accuracy.json');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
