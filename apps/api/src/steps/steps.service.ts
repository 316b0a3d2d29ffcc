/**
 * Starting, observing and killing step jobs.
 *
 * Starting validates everything that can be known before the job runs — the run, the step, its
 * variant and its input files — so a job that cannot work is refused with a 4xx instead of
 * failing later. The job row is created (refusing a second active job of the run, atomically)
 * and enqueued; the answer comes at once.
 */
import * as os from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { Response } from 'express';
import {
  APP_CONFIG,
  AppConfig,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  readTail,
} from '@qslam/common';
import { Job, JobsRepository, RunStateService } from '@qslam/db';
import { StepContext, stepDefinition } from '@qslam/steps';
import { GenomeForStart, GenomesService } from '../genomes/genomes.service';
import { StepQueueService } from '../queue/step-queue.service';
import { jobView } from '../runs/run-views';
import { RunsService } from '../runs/runs.service';

const KILL_WAIT_EXTRA_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class StepsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: RunsService,
    private readonly jobs: JobsRepository,
    private readonly state: RunStateService,
    private readonly queue: StepQueueService,
    private readonly genomes: GenomesService,
  ) {}

  async start(runId: string, step: string, query: Record<string, unknown>) {
    const def = stepDefinition(step);
    const run = await this.runs.get(runId);
    let variant: string | null = null;
    if (def.variant) {
      const raw = query[def.variant.query];
      variant = raw === undefined || raw === '' ? def.variant.defaultFor(run) : String(raw);
      if (!def.variant.values.includes(variant)) {
        throw new InvalidInputError(
          `${def.variant.query} must be one of: ${def.variant.values.join(', ')}`,
          { field: def.variant.query },
        );
      }
    }
    const workspace = this.runs.workspace(runId);
    const ctx: StepContext = {
      run,
      workspace,
      variant,
      threads: this.config.threadsPerJob,
      history: await this.jobs.history(runId),
    };
    // Genome (issue #4): 409 when missing; an install to create or join after the job exists.
    let genome: GenomeForStart | null = null;
    if (def.needsGenome) {
      genome = await this.genomes.genomeForStart(run, step);
      ctx.genome = genome.genome;
    }
    def.plan(ctx, os.tmpdir()); // prerequisite check: throws MissingInputError (409)
    const job = await this.state.createJob(
      runId,
      step,
      variant,
      (id) => workspace.jobFiles(step, id).log,
    );
    try {
      await genome?.install?.();
      await this.queue.enqueue({ jobId: job.id, runId, step });
    } catch (err) {
      await this.state.transition(job.id, 'failed', { error_message: (err as Error).message });
      throw err;
    }
    return { job_id: job.id, status: job.status, run_id: runId, step, variant };
  }

  private async jobOf(runId: string, step: string, jobId?: number): Promise<Job> {
    stepDefinition(step);
    await this.runs.get(runId);
    const job = jobId ? await this.jobs.find(jobId) : await this.jobs.latestForStep(runId, step);
    if (!job || job.run_id !== runId || job.step_name !== step) {
      throw new NotFoundError(
        jobId
          ? `Job ${jobId} is not a ${step} job of run ${runId}`
          : `Step ${step} has not been run for run ${runId}`,
      );
    }
    return job;
  }

  async status(runId: string, step: string) {
    const job = await this.jobOf(runId, step);
    return jobView(job, this.runs.workspace(runId).root);
  }

  async logs(runId: string, step: string, jobId?: number, tail?: number) {
    const job = await this.jobOf(runId, step, jobId);
    const text = job.log_file
      ? await readTail(job.log_file, tail ?? Number.MAX_SAFE_INTEGER, 16 * 1024 * 1024)
      : '';
    return { job_id: job.id, status: job.status, logs: text };
  }

  /** Server-sent events: `log` events with new lines, then one `end` event with the status. */
  async followLogs(runId: string, step: string, jobId: number | undefined, res: Response) {
    const job = await this.jobOf(runId, step, jobId);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    const follower = new LogFollower(job.log_file ?? '');
    let closed = false;
    res.on('close', () => (closed = true));
    while (!closed) {
      const current = await this.jobs.get(job.id);
      const chunk = await follower.read();
      if (chunk) res.write(`event: log\ndata: ${chunk.replace(/\n/g, '\ndata: ')}\n\n`);
      if (current.status !== 'pending' && current.status !== 'running') {
        const tailChunk = await follower.read();
        if (tailChunk) res.write(`event: log\ndata: ${tailChunk.replace(/\n/g, '\ndata: ')}\n\n`);
        res.write(
          `event: end\ndata: ${JSON.stringify({ job_id: job.id, status: current.status })}\n\n`,
        );
        break;
      }
      await sleep(500);
    }
    res.end();
  }

  async kill(runId: string, res: Response) {
    await this.runs.get(runId);
    const job = await this.jobs.activeForRun(runId);
    if (!job) throw new ConflictError(`Run ${runId} has no queued or running job to kill`);
    await this.state.requestKill(job.id);
    if (job.status === 'pending' && (await this.queue.cancelQueued(job.id))) {
      await this.state.transition(job.id, 'killed', { error_message: 'cancelled while queued' });
    } else {
      await this.queue.publish({ type: 'kill', jobId: job.id }).catch(() => undefined);
    }
    const final = await this.waitForEnd(job.id, this.config.killGraceMs + KILL_WAIT_EXTRA_MS);
    if (final.status === 'pending' || final.status === 'running') {
      res.status(202);
      return {
        message:
          'Kill requested; the worker owning the job will carry it out (also after a restart)',
        job_id: job.id,
        status: final.status,
      };
    }
    return { message: 'Job killed', job_id: job.id, status: final.status };
  }

  private async waitForEnd(jobId: number, ms: number): Promise<Job> {
    const deadline = Date.now() + ms;
    for (;;) {
      const job = await this.jobs.get(jobId);
      if ((job.status !== 'pending' && job.status !== 'running') || Date.now() > deadline)
        return job;
      await sleep(100);
    }
  }
}

/** Reads what was appended to a log since the last call. */
class LogFollower {
  private offset = 0;

  constructor(private readonly file: string) {}

  async read(): Promise<string> {
    const fs = await import('node:fs');
    try {
      const handle = await fs.promises.open(this.file, 'r');
      try {
        const { size } = await handle.stat();
        if (size <= this.offset) return '';
        const buffer = Buffer.alloc(Math.min(size - this.offset, 4 * 1024 * 1024));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        this.offset += bytesRead;
        return buffer.subarray(0, bytesRead).toString('utf8');
      } finally {
        await handle.close();
      }
    } catch {
      return '';
    }
  }
}
