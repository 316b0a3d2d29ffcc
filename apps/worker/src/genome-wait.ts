/**
 * Gives a step job with `needsGenome` its genome, waiting while the genome is being installed.
 *
 * The API accepted the start because the genome was ready, or being installed (a run's
 * `genome_tar_url` created or joined the one install). The step job stays `pending` while it
 * waits here, writing to its own log what it waits for and the latest line of the genome job's
 * log every few seconds, so `GET /runs/{id}/{step}/logs` shows the download or build progress.
 * When the genome fails (or was deleted), the step job fails naming it; a kill request ends
 * the wait at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, readTail } from '@qslam/common';
import { GenomesRepository, Job, JobsRepository, Run, RunStateService } from '@qslam/db';
import { resolveGenome } from '@qslam/genomes';
import type { ResolvedGenome } from '@qslam/steps';

const POLL_MS = 500;
const PROGRESS_EVERY_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class GenomeWait {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly genomes: GenomesRepository,
    private readonly jobs: JobsRepository,
    private readonly state: RunStateService,
  ) {}

  /** The run's genome once ready; null when the job ended instead (it is recorded). */
  async genomeFor(
    job: Job,
    run: Run,
    logFile: string,
    killRequested: () => boolean,
  ): Promise<ResolvedGenome | null> {
    const name = run.genome;
    let lastProgress = 0;
    for (;;) {
      const genome = name ? await this.genomes.find(name) : null;
      if (genome?.status === 'ready') {
        if (lastProgress > 0) await this.say(logFile, `genome ${name} is ready`);
        return resolveGenome(genome, this.config.referencesDir);
      }
      const current = await this.jobs.get(job.id);
      if (current.status !== 'pending') return null;
      if (!genome || genome.status === 'failed') {
        const why = !name
          ? 'the run has no genome: set the run parameter genome'
          : !genome
            ? `genome ${name} is not installed (POST /genomes or POST /genomes/${name}/install)`
            : `genome ${name} failed to install: ${genome.error ?? 'unknown error'}`;
        await this.say(logFile, why);
        await this.state.transition(job.id, 'failed', { error_message: why });
        return null;
      }
      if (current.kill_requested_at || killRequested()) {
        await this.say(logFile, 'killed while waiting for the genome');
        await this.state.transition(job.id, 'killed', { error_message: 'killed by user request' });
        return null;
      }
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        await this.say(logFile, await this.progress(name!));
      }
      await sleep(POLL_MS);
    }
  }

  /** The run's genome when it is ready, else null (for a job adopted after its launch). */
  async readyGenome(run: Run): Promise<ResolvedGenome | null> {
    const genome = run.genome ? await this.genomes.find(run.genome) : null;
    return genome?.status === 'ready' ? resolveGenome(genome, this.config.referencesDir) : null;
  }

  private async progress(name: string): Promise<string> {
    const job = await this.genomes.activeJob(name);
    if (!job) return `waiting for genome ${name} (installing)`;
    const last = job.log_file ? (await readTail(job.log_file, 1)).trim() : '';
    return (
      `waiting for genome ${name}: genome job ${job.id} (${job.kind}) ${job.status}` +
      (last ? ` — ${last}` : '')
    );
  }

  private async say(logFile: string, message: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(logFile), { recursive: true });
    await fs.promises.appendFile(logFile, `[qslam ${new Date().toISOString()}] ${message}\n`);
  }
}
