/**
 * Read mapping through the server vs by hand, and the disk it writes: `npm run bench:mapping`
 * (after `npm run build`). Issue #4: "Mapping 1M simulated pairs against the demo genome: wall
 * time of the step through the server vs the same `bwa mem | samtools sort` run by hand —
 * overhead under 10 %. Disk written per million pairs (no SAM intermediate)."
 *
 * Starts a stack (built API + one worker, private data dir and queue prefix), installs the demo
 * genome through the API (POST /genomes: the worker builds its bwa index), simulates BENCH_PAIRS
 * read pairs (default 1,000,000; 2×150, a 10-base UMI on R2, 5 % mispriming) from that genome,
 * uploads them and runs umi → cutadapt (r1_min_overlap 20) once. Then read_mapping runs
 * BENCH_REPEAT (2) times through the server, timed from the POST to the completed status (polled
 * every 50 ms), alternating with the very same command lines (read back from the job's script,
 * logs/read_mapping.{job}.json: bwa mem | samtools sort, samtools index, flagstat, idxstats,
 * view | awk) run by hand with bash; the best of each is compared (overhead = server / by hand − 1).
 *
 * Disk written, three ways:
 *   - by hand (the reference figure): the bash script runs under `/usr/bin/time -v`; its "File
 *     system outputs" is the kernel's write_bytes of the whole process tree (bash waits for every
 *     stage), counted as page-cache pages are dirtied, so a temporary file deleted before it
 *     reaches the disk counts as well. Times 512 → bytes.
 *   - through the server: /proc/<pid>/io write_bytes of the job wrapper (which includes the
 *     children it has reaped) plus its live process group, sampled every 100 ms; the last sample
 *     before the wrapper exits, so a lower bound (it misses what the last ≤ 100 ms wrote).
 *   - the outputs: the sizes of the files in bwa/ after the job.
 * And no SAM intermediate: the run's workspace (staging folder included) is listed every 100 ms
 * while the server job runs; any *.sam file seen is reported (and fails the check). A SAM of the
 * same records (`samtools view -h` of the BAM, counted, not stored) is printed for scale. The
 * sampling costs this process about 1–2 ms of CPU per 100 ms, during the server runs only.
 *
 * The server's time is also split into launch (POST → wrapper started), tools (the wrapper's run)
 * and finish (rc → completed). The job runs at QSLAM_JOB_NICE (10) while the by-hand script runs
 * at nice 0, so on a busy machine the tools phase is slower through the server: measure on a
 * quiet one (load averages before and after are in the JSON).
 *
 * Prints a table and writes bench/out/mapping-overhead.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { describeCommandLine } from '../libs/jobs/src/job-script';
import { alignerVersion } from '../libs/steps/src/read_mapping/aligner-probe';
import { demoGenomeReads, installDemoGenome } from '../test/support/genomes';
import { processesInGroup, TestStack } from '../test/support/stack';
import {
  listTimes,
  overheadRow,
  readJobScript,
  round,
  runByHand,
  runOnServer,
  seconds,
} from './support/server-vs-hand';

const ROOT = resolve(__dirname, '..');
const OUT_DIR = join(ROOT, 'bench/out');
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1_000_000);
/** read_mapping runs REPEAT times through the server and REPEAT times by hand, alternating. */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const STEP = 'read_mapping';
const UMI_LENGTH = 10;
const SAMPLE_MS = 100;

const MB = 1024 ** 2;
const perMillion = (bytes: number) => (bytes / PAIRS) * 1e6;
const mb = (bytes: number) => round(bytes / MB, 1);

/** Every file under `dir` with its size (relative paths); files vanishing meanwhile are skipped. */
function listFiles(dir: string): { path: string; size: number }[] {
  const found: { path: string; size: number }[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return found;
  }
  for (const entry of entries) {
    try {
      const st = statSync(join(dir, entry));
      if (st.isFile()) found.push({ path: entry, size: st.size });
    } catch {
      // moved or removed between the listing and the stat
    }
  }
  return found;
}

/** write_bytes of /proc/<pid>/io (the process, its threads and the children it reaped). */
function writeBytes(pid: number): number {
  try {
    const m = /^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

interface JobWatch {
  /** *.sam files seen anywhere in the workspace while the job ran. */
  samFiles: string[];
  /** Largest total size of the job's staging folder seen. */
  maxStagingBytes: number;
  /** Last sampled write_bytes of the job wrapper + its live process group (a lower bound). */
  jobWriteBytes: number;
  samples: number;
}

/**
 * Watches the run's workspace while a job runs: SAM files, the staging folder's size, and the
 * write_bytes of the job's process group (the wrapper leads it; its pid is in logs/{step}.*.pid).
 */
function watchJob(workspace: string, step: string): { stop: () => JobWatch } {
  const watch: JobWatch = { samFiles: [], maxStagingBytes: 0, jobWriteBytes: 0, samples: 0 };
  const before = new Set(readdirSync(join(workspace, 'logs')));
  let wrapper = 0;
  const sample = () => {
    watch.samples++;
    for (const file of listFiles(workspace)) {
      if (/\.sam$/i.test(file.path) && !watch.samFiles.includes(file.path)) {
        watch.samFiles.push(file.path);
      }
    }
    const staging = listFiles(join(workspace, '.staging'));
    const total = staging.reduce((n, f) => n + f.size, 0);
    watch.maxStagingBytes = Math.max(watch.maxStagingBytes, total);
    if (!wrapper) {
      const pidFile = readdirSync(join(workspace, 'logs')).find(
        (f) => f.startsWith(`${step}.`) && f.endsWith('.pid') && !before.has(f),
      );
      if (pidFile) {
        try {
          wrapper = Number(JSON.parse(readFileSync(join(workspace, 'logs', pidFile), 'utf8')).pid);
        } catch {
          // being written
        }
      }
    }
    if (wrapper) {
      // The wrapper's own count includes its reaped children; add the ones still running.
      const own = writeBytes(wrapper);
      if (own > 0) {
        const live = processesInGroup(wrapper).filter((pid) => pid !== wrapper);
        const bytes = own + live.reduce((n, pid) => n + writeBytes(pid), 0);
        watch.jobWriteBytes = Math.max(watch.jobWriteBytes, bytes);
      }
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return watch;
    },
  };
}

/** Bytes of the BAM as SAM text (`samtools view -h | wc -c`): what a SAM intermediate would be. */
function samEquivalentBytes(bam: string, threads: number): number {
  const res = spawnSync(
    'bash',
    [
      '-c',
      'set -o pipefail; samtools view -h -@ "$1" "$2" | wc -c',
      'sam-size',
      String(threads),
      bam,
    ],
    { encoding: 'utf8', maxBuffer: 1024 },
  );
  if (res.status !== 0) throw new Error(`samtools view -h: ${res.stderr}`);
  return Number(res.stdout.trim());
}

interface Phases {
  /** POST → the job wrapper started (queue, plan, launch, the wrapper's node start-up). */
  launch_s: number;
  /** The wrapper's run of the command lines (pid file's startedAt → rc file written). */
  tools_s: number;
  /** rc written → `completed` seen (worker's 200 ms poll, move into place, summary, our poll). */
  finish_s: number;
}

/** Where the server's time went, from the job's pid record and rc file. */
function phasesOf(workspace: string, jobId: number, postedAt: number, doneAt: number): Phases {
  const base = join(workspace, 'logs', `${STEP}.${jobId}`);
  const started = Date.parse(JSON.parse(readFileSync(`${base}.pid`, 'utf8')).startedAt);
  const rcAt = statSync(`${base}.rc`).mtimeMs;
  return {
    launch_s: round((started - postedAt) / 1000),
    tools_s: round((rcAt - started) / 1000),
    finish_s: round((doneAt - rcAt) / 1000),
  };
}

/** The `-t` of the aligner's command line in the job script. */
function threadsOf(commands: { argv: string[] }[][]): number {
  for (const line of commands) {
    for (const stage of line) {
      const i = stage.argv.indexOf('-t');
      if (stage.argv[1] === 'mem' && i > 0) return Number(stage.argv[i + 1]);
    }
  }
  return NaN;
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((x) => round(x));
  const stack = await new TestStack({ QSLAM_WORKER_CONCURRENCY: '1' }).start(1);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  try {
    let t0 = process.hrtime.bigint();
    const genome = await installDemoGenome(stack);
    if (genome.status !== 'ready') throw new Error(`demo genome: ${JSON.stringify(genome)}`);
    console.log(`demo genome installed (POST /genomes, bwa index): ${since(t0).toFixed(1)} s`);

    t0 = process.hrtime.bigint();
    const reads = demoGenomeReads(PAIRS, 43, { umi: UMI_LENGTH, mispriming: 0.05 });
    console.log(
      `${PAIRS} pairs simulated from the demo genome (or cached): ${since(t0).toFixed(1)} s`,
    );

    t0 = process.hrtime.bigint();
    const created = await stack.createRun(
      {
        name: 'bench mapping',
        genome: 'demo',
        umi_read: 'R2',
        umi_pattern: 'N'.repeat(UMI_LENGTH),
        r1_min_overlap: '20',
      },
      reads.r1,
      reads.r2,
    );
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    const uploadS = since(t0);
    const runId = created.body.run_id as string;
    const workspace = join(stack.dataDir, 'runs', runId);
    console.log(`upload + check: ${uploadS.toFixed(1)} s`);
    for (const step of ['umi', 'cutadapt']) {
      const { s } = await runOnServer(stack, runId, step);
      console.log(`${step} (through the server, once): ${s.toFixed(1)} s`);
    }

    const serverTimes: number[] = [];
    const handTimes: number[] = [];
    const handWritten: number[] = [];
    const watches: JobWatch[] = [];
    const phases: Phases[] = [];
    let lastJob = 0;
    for (let i = 0; i < REPEAT; i++) {
      const watch = watchJob(workspace, STEP);
      const postedAt = Date.now();
      const server = await runOnServer(stack, runId, STEP);
      watches.push(watch.stop());
      phases.push(phasesOf(workspace, server.jobId, postedAt, Date.now()));
      serverTimes.push(server.s);
      lastJob = server.jobId;
      const hand = runByHand(stack, runId, STEP, server.jobId, { gnuTime: true });
      handTimes.push(hand.s);
      handWritten.push(hand.fsOutputBytes ?? NaN);
    }
    console.log(`${STEP}: server ${listTimes(serverTimes)} s, by hand ${listTimes(handTimes)} s`);
    for (const p of phases) {
      console.log(
        `  server phases: launch ${p.launch_s} s, tools ${p.tools_s} s, finish ${p.finish_s} s`,
      );
    }

    const script = readJobScript(stack, runId, STEP, lastJob);
    const threads = threadsOf(script.commands);
    const outputs = listFiles(join(workspace, 'bwa'));
    const outputBytes = outputs.reduce((n, f) => n + f.size, 0);
    const bam = join(workspace, 'bwa', 'aligned.sorted.bam');
    const samBytes = samEquivalentBytes(bam, threads);
    const results = await stack.get(`/runs/${runId}/results/${STEP}`);
    const summary = results.body.summary ?? {};
    const samSeen = [...new Set(watches.flatMap((w) => w.samFiles))];
    const handBytes = Math.min(...handWritten);
    const jobBytes = Math.min(...watches.map((w) => w.jobWriteBytes));

    const row = overheadRow(STEP, serverTimes, handTimes);
    const result = {
      pairs: PAIRS,
      cpus: execFileSync('nproc').toString().trim(),
      load_average_before_after: [loadBefore, loadavg().map((x) => round(x))],
      threads_per_job: threads,
      qslam_threads_per_job_env: process.env.QSLAM_THREADS_PER_JOB ?? null,
      aligner: summary.aligner ?? { name: 'bwa', version: alignerVersion('bwa') },
      samtools: execFileSync('samtools', ['--version']).toString().split('\n')[0],
      repeat: REPEAT,
      commands: script.commands.map((c) => describeCommandLine(c)),
      upload_s: round(uploadS),
      server_s_all: serverTimes.map((s) => round(s)),
      by_hand_s_all: handTimes.map((s) => round(s)),
      ...row,
      server_phases: phases,
      job_nice: Number(process.env.QSLAM_JOB_NICE ?? 10),
      mapped_pct: summary.mapped_pct ?? null,
      pairs_into_mapping: summary.pairs ?? null,
      disk: {
        method:
          'by hand: GNU time "File system outputs" (ru_oublock × 512 = write_bytes of the whole ' +
          'bash process tree); server: /proc/<pid>/io write_bytes of the job wrapper (incl. reaped ' +
          `children) + live group, sampled every ${SAMPLE_MS} ms (lower bound); outputs: file sizes ` +
          'in bwa/',
        by_hand_written_bytes: handBytes,
        by_hand_written_mb_per_million_pairs: mb(perMillion(handBytes)),
        server_job_written_bytes_sampled: jobBytes,
        server_job_written_mb_per_million_pairs: mb(perMillion(jobBytes)),
        output_bytes: outputBytes,
        output_mb_per_million_pairs: mb(perMillion(outputBytes)),
        outputs: Object.fromEntries(outputs.map((f) => [f.path, f.size])),
        max_staging_bytes_seen: Math.max(...watches.map((w) => w.maxStagingBytes)),
        workspace_samples: watches.reduce((n, w) => n + w.samples, 0),
        sam_files_seen: samSeen,
        sam_equivalent_bytes: samBytes,
        sam_equivalent_mb_per_million_pairs: mb(perMillion(samBytes)),
      },
    };
    console.table([row]);
    console.log(
      `threads per job: ${threads} (QSLAM_THREADS_PER_JOB=${result.qslam_threads_per_job_env ?? 'unset: cores / concurrency'}), ` +
        `aligner: ${result.aligner.name} ${result.aligner.version}, ${result.samtools}`,
    );
    console.log(
      `disk written per million simulated pairs: by hand ${result.disk.by_hand_written_mb_per_million_pairs} MB ` +
        `(GNU time), server job ≥ ${result.disk.server_job_written_mb_per_million_pairs} MB (sampled /proc io), ` +
        `outputs ${result.disk.output_mb_per_million_pairs} MB; ` +
        `the same records as SAM would be ${result.disk.sam_equivalent_mb_per_million_pairs} MB`,
    );
    console.log(
      samSeen.length === 0
        ? `no SAM file in the workspace or staging (${result.disk.workspace_samples} listings every ${SAMPLE_MS} ms)`
        : `SAM FILES SEEN: ${samSeen.join(', ')}`,
    );
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, 'mapping-overhead.json'), JSON.stringify(result, null, 2));
    if (samSeen.length > 0) process.exitCode = 1;
  } catch (err) {
    console.error(`the stack's output, last lines:\n${stack.output().slice(-4000)}`);
    throw err;
  } finally {
    await stack.stop();
  }
}

function since(t0: bigint): number {
  return seconds(process.hrtime.bigint() - t0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
