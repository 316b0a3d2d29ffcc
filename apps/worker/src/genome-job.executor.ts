/**
 * Executes one genome job (index build or tarball install) from launch to recorded outcome,
 * with the job engine of @qslam/jobs: the commands (genome-job-plan.ts) run in a detached job
 * wrapper that leads its own process group, logs to `references/{name}/logs/{kind}.{id}.log`
 * and writes its exit status to the `.rc` file, so an index build or a download survives a
 * worker restart and is adopted like a step job.
 *
 * Everything is written under `.staging-{job}`. Exit 0 means the last command verified the
 * index and wrote the manifest: the staging folder is renamed to `index/` and the genome turns
 * `ready` with the manifest's facts, in one transaction. Any other outcome removes the staging
 * folder (and a complete downloaded archive; an incomplete `.part` stays so a retry resumes) and
 * the genome turns `failed` with the end of the log as its error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, readTail } from '@qslam/common';
import { GenomeFacts, GenomeJob, GenomesRepository, GenomeStateService } from '@qslam/db';
import {
  binaryOnPath,
  GenomeLayout,
  GenomeManifest,
  INSTALLED_DIR,
  MANIFEST_FILE,
  planGenomeBuild,
  planGenomeInstall,
} from '@qslam/genomes';
import { CommandLine, groupAlive, inspectWrapper, launchJob, terminateGroup } from '@qslam/jobs';
import { projectToolArgv } from '@qslam/steps';

const POLL_MS = 300;
const ERROR_TAIL_LINES = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class GenomeJobExecutor {
  private readonly log = new Logger(GenomeJobExecutor.name);
  readonly workerId = `${os.hostname()}:${process.pid}`;
  private readonly monitors = new Map<number, Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly genomes: GenomesRepository,
    private readonly state: GenomeStateService,
  ) {}

  execute(jobId: number): Promise<void> {
    const existing = this.monitors.get(jobId);
    if (existing) return existing;
    const promise = this.executeOnce(jobId).finally(() => this.monitors.delete(jobId));
    this.monitors.set(jobId, promise);
    return promise;
  }

  private async executeOnce(jobId: number): Promise<void> {
    const job = await this.genomes.findJob(jobId);
    if (!job || (job.status !== 'pending' && job.status !== 'running')) return;
    const layout = new GenomeLayout(this.config.referencesDir, job.genome);
    const files = layout.jobFiles(job.kind, job.id);
    if (job.status === 'pending' && !fs.existsSync(files.script)) {
      if (!(await this.launch(job, layout))) return;
    } else {
      this.log.log(`adopting genome job ${job.id} (${job.kind} ${job.genome})`);
      await this.state.annotateJob(job.id, { worker_id: this.workerId });
      if (job.status === 'pending') {
        await this.state.transitionJob(job.id, 'running', { worker_id: this.workerId });
      }
    }
    await this.monitor(job.id, layout);
  }

  private async launch(job: GenomeJob, layout: GenomeLayout): Promise<boolean> {
    let commands: CommandLine[];
    try {
      commands = await this.plan(job, layout);
    } catch (err) {
      await this.state.transitionJob(job.id, 'failed', { error_message: (err as Error).message });
      return false;
    }
    await fs.promises.rm(layout.stagingDir(job.id), { recursive: true, force: true });
    await fs.promises.mkdir(layout.stagingDir(job.id), { recursive: true });
    await fs.promises.mkdir(layout.logsDir, { recursive: true });
    await fs.promises.mkdir(layout.downloadDir, { recursive: true });
    const files = layout.jobFiles(job.kind, job.id);
    const pid = launchJob(
      {
        jobId: job.id,
        cwd: layout.dir,
        commands,
        logFile: files.log,
        rcFile: files.rc,
        pidFile: files.pid,
        heartbeatMs: this.config.heartbeatMs,
      },
      files.script,
      this.config.jobNice,
    );
    this.log.log(`genome job ${job.id} (${job.kind} ${job.genome}) started, pgid ${pid}`);
    const { changed } = await this.state.transitionJob(job.id, 'running', {
      pgid: pid,
      worker_id: this.workerId,
    });
    if (!changed) await terminateGroup(pid, this.config.killGraceMs);
    return changed;
  }

  private async plan(job: GenomeJob, layout: GenomeLayout): Promise<CommandLine[]> {
    if (job.kind === 'install') {
      if (!job.tar_url) throw new Error(`genome job ${job.id} has no tarball URL`);
      return planGenomeInstall({
        layout,
        jobId: job.id,
        url: job.tar_url,
        sha256: job.sha256,
        tool: projectToolArgv,
      });
    }
    const genome = await this.genomes.get(job.genome);
    const sources = await sourceFiles(layout);
    if (!sources.fasta) throw new Error(`the uploaded FASTA of genome ${job.genome} is missing`);
    return planGenomeBuild({
      layout,
      jobId: job.id,
      fasta: sources.fasta,
      vector: sources.vector,
      annotation: sources.annotation,
      vectorContigs: genome.vector_contigs,
      aligner: binaryOnPath('bwa-mem2') ? 'bwa-mem2' : 'bwa',
      tool: projectToolArgv,
    });
  }

  private async monitor(jobId: number, layout: GenomeLayout): Promise<void> {
    for (;;) {
      const job = await this.genomes.getJob(jobId);
      if (job.status !== 'running') return;
      const wrapper = inspectWrapper(layout.jobFiles(job.kind, job.id), this.config.heartbeatMs);
      if (wrapper.state === 'finished') return this.finish(job, layout, wrapper.exitCode);
      if (wrapper.state === 'lost') {
        if (wrapper.localHost && job.pgid && groupAlive(job.pgid)) {
          await terminateGroup(job.pgid, 0);
        }
        return this.fail(
          job,
          layout,
          null,
          'worker lost: the genome job ended without recording an exit status; install again',
        );
      }
      await sleep(POLL_MS);
    }
  }

  private async finish(job: GenomeJob, layout: GenomeLayout, exitCode: number): Promise<void> {
    if (exitCode !== 0) {
      const tail = job.log_file ? await readTail(job.log_file, ERROR_TAIL_LINES) : '';
      return this.fail(
        job,
        layout,
        exitCode,
        `${job.kind} exited with status ${exitCode}:\n${tail}`,
      );
    }
    try {
      const facts = await this.install(job, layout);
      await this.state.transitionJob(job.id, 'completed', { exit_code: 0 }, facts);
      this.log.log(
        `genome ${job.genome} ready (${facts.index_kind}, ${facts.contigs.length} contigs)`,
      );
    } catch (err) {
      await this.fail(job, layout, 0, `the genome could not be put in place: ${String(err)}`);
    }
  }

  /** Moves the verified staging folder to index/ and returns the facts of its manifest. */
  private async install(job: GenomeJob, layout: GenomeLayout): Promise<GenomeFacts> {
    const staging = layout.stagingDir(job.id);
    if (fs.existsSync(staging)) {
      await fs.promises.rm(layout.installedDir, { recursive: true, force: true });
      await fs.promises.rename(staging, layout.installedDir);
    }
    // (after a crash between the rename and the record, the manifest is already in index/)
    const manifest = JSON.parse(
      await fs.promises.readFile(path.join(layout.installedDir, MANIFEST_FILE), 'utf8'),
    ) as GenomeManifest;
    await fs.promises.rm(layout.sourceDir, { recursive: true, force: true });
    await fs.promises.rm(layout.downloadDir, { recursive: true, force: true });
    const inside = (rel: string | null) => (rel === null ? null : `${INSTALLED_DIR}/${rel}`);
    return {
      fasta: inside(manifest.fasta),
      index_kind: manifest.index_kind,
      index_prefix: `${INSTALLED_DIR}/${manifest.index_prefix}`,
      annotation: inside(manifest.annotation),
      vector_contigs: manifest.vector_contigs,
      contigs: manifest.contigs,
      total_length: manifest.total_length,
      disk_bytes: await diskBytes(layout.installedDir),
    };
  }

  private async fail(
    job: GenomeJob,
    layout: GenomeLayout,
    exitCode: number | null,
    message: string,
  ): Promise<void> {
    await fs.promises.rm(layout.stagingDir(job.id), { recursive: true, force: true });
    await fs.promises.rm(layout.archive, { force: true });
    await this.state.transitionJob(job.id, 'failed', {
      exit_code: exitCode,
      error_message: message,
    });
    this.log.warn(`genome job ${job.id} (${job.kind} ${job.genome}) failed`);
  }
}

/** The uploads of POST /genomes, named by the API `genome.fa[.gz]`, `vector.fa[.gz]`, `annotation.*`. */
export async function sourceFiles(
  layout: GenomeLayout,
): Promise<{ fasta: string | null; vector: string | null; annotation: string | null }> {
  const names = await fs.promises.readdir(layout.sourceDir).catch(() => [] as string[]);
  const find = (prefix: string) => {
    const name = names.find((n) => n.startsWith(prefix));
    return name ? path.join(layout.sourceDir, name) : null;
  };
  return { fasta: find('genome.'), vector: find('vector.'), annotation: find('annotation.') };
}

async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await diskBytes(full);
    else total += (await fs.promises.lstat(full)).size;
  }
  return total;
}
