/**
 * Executes one step job from launch to recorded outcome, or adopts one launched earlier.
 *
 * Launch: plan the step's command lines into a staging folder, start the detached job wrapper,
 * then record `running` with its pgid. Monitor: poll the wrapper's files (rc, pid heartbeat)
 * and the kill flag. Finish: on exit status 0 move staged outputs into place, summarise them and
 * record `completed`; otherwise record `failed` with the log's last lines; a wrapper that
 * vanished without an rc is `failed` ("worker lost"), after making sure no process of its group
 * keeps writing. Every step is idempotent, so a worker that restarts half-way (or the BullMQ
 * re-delivery of a stalled job) can call `execute` again safely.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@qslam/common';
import { Job, JobsRepository, NewJobFile, RunsRepository, RunStateService } from '@qslam/db';
import { groupAlive, inspectWrapper, launchJob, terminateGroup } from '@qslam/jobs';
import {
  MissingInputError,
  StepInput,
  RunWorkspace,
  StepContext,
  stepDefinition,
} from '@qslam/steps';
import { GenomeWait } from './genome-wait';
import { JobFinisher } from './job-finisher';

const POLL_MS = 200;
const KILL_FLAG_POLL_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class JobExecutor {
  private readonly log = new Logger(JobExecutor.name);
  readonly workerId = `${os.hostname()}:${process.pid}`;
  /** Jobs this process is monitoring, so a re-delivered job joins the existing monitor. */
  private readonly monitors = new Map<number, Promise<void>>();
  private readonly killRequests = new Set<number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsRepository,
    private readonly runs: RunsRepository,
    private readonly state: RunStateService,
    private readonly finisher: JobFinisher,
    private readonly genomeWait: GenomeWait,
  ) {}

  activeJobIds(): number[] {
    return [...this.monitors.keys()];
  }

  /** Called by the control channel: the job's group is stopped at the next poll. */
  requestKill(jobId: number): void {
    if (this.monitors.has(jobId)) this.killRequests.add(jobId);
  }

  execute(jobId: number): Promise<void> {
    const existing = this.monitors.get(jobId);
    if (existing) return existing;
    const promise = this.executeOnce(jobId).finally(() => {
      this.monitors.delete(jobId);
      this.killRequests.delete(jobId);
    });
    this.monitors.set(jobId, promise);
    return promise;
  }

  private async executeOnce(jobId: number): Promise<void> {
    let job = await this.jobs.find(jobId);
    if (!job || (job.status !== 'pending' && job.status !== 'running')) return;
    const run = await this.runs.find(job.run_id);
    if (!run) return;
    const ctx: StepContext = {
      run,
      workspace: new RunWorkspace(this.config.runsDir, run.id),
      variant: job.variant,
      threads: this.config.threadsPerJob,
      history: await this.jobs.history(run.id),
    };
    const files = ctx.workspace.jobFiles(job.step_name, job.id);
    const launching = job.status === 'pending' && !fs.existsSync(files.script);
    // --- genome (issue #4): steps with needsGenome get ctx.genome, waiting while it installs
    if (stepDefinition(job.step_name).needsGenome) {
      ctx.genome = launching
        ? await this.genomeWait.genomeFor(job, run, files.log, () => this.killRequests.has(jobId))
        : await this.genomeWait.readyGenome(run);
      if (launching && !ctx.genome) return;
      if (launching) job = await this.jobs.get(jobId);
    }
    // ---
    if (launching) {
      if (!(await this.launch(job, ctx))) return;
    } else {
      this.log.log(`adopting job ${job.id} (${job.step_name}) of run ${run.id}`);
      await this.state.annotate(job.id, { worker_id: this.workerId });
      if (job.status === 'pending') {
        // Launched but never marked running: record its inputs now (the plan is pure).
        await this.markRunning(job, job.pgid, await this.plannedInputs(job, ctx));
      }
    }
    await this.monitor(job.id, ctx);
  }

  /** Starts the wrapper; false when the job ended before it could run. */
  private async launch(job: Job, ctx: StepContext): Promise<boolean> {
    if (job.kill_requested_at) {
      await this.state.transition(job.id, 'killed', { error_message: 'killed before it started' });
      return false;
    }
    const def = stepDefinition(job.step_name);
    const staging = ctx.workspace.stagingDir(job.id);
    let plan;
    try {
      plan = def.plan(ctx, staging);
    } catch (err) {
      if (!(err instanceof MissingInputError)) throw err;
      await this.state.transition(job.id, 'failed', { error_message: err.message });
      return false;
    }
    await fs.promises.rm(staging, { recursive: true, force: true });
    await fs.promises.mkdir(staging, { recursive: true });
    await fs.promises.mkdir(ctx.workspace.path('logs'), { recursive: true });
    const files = ctx.workspace.jobFiles(job.step_name, job.id);
    const pid = launchJob(
      {
        jobId: job.id,
        cwd: ctx.workspace.root,
        commands: plan.commands,
        logFile: files.log,
        rcFile: files.rc,
        pidFile: files.pid,
        heartbeatMs: this.config.heartbeatMs,
        outputs: plan.outputs,
      },
      files.script,
      this.config.jobNice,
    );
    this.log.log(`job ${job.id} (${job.step_name}) of run ${job.run_id} started, pgid ${pid}`);
    return this.markRunning(job, pid, await inputFiles(ctx, plan.inputs));
  }

  private async plannedInputs(job: Job, ctx: StepContext): Promise<NewJobFile[]> {
    try {
      const plan = stepDefinition(job.step_name).plan(ctx, ctx.workspace.stagingDir(job.id));
      return await inputFiles(ctx, plan.inputs);
    } catch {
      return []; // inputs gone since the launch: the job's own outcome will tell
    }
  }

  private async markRunning(
    job: Job,
    pgid: number | null,
    inputs: readonly NewJobFile[] = [],
  ): Promise<boolean> {
    const { changed } = await this.state.transition(
      job.id,
      'running',
      { pgid, worker_id: this.workerId },
      inputs,
    );
    if (!changed && pgid) {
      // Killed while we were launching it: stop what we started.
      await terminateGroup(pgid, this.config.killGraceMs);
      return false;
    }
    return true;
  }

  private async monitor(jobId: number, ctx: StepContext): Promise<void> {
    let lastFlagCheck = 0;
    for (;;) {
      const job = await this.jobs.get(jobId);
      if (job.status !== 'running') return;
      const files = ctx.workspace.jobFiles(job.step_name, job.id);
      const wrapper = inspectWrapper(files, this.config.heartbeatMs);
      if (wrapper.state === 'finished') {
        return this.finisher.finish(job, ctx, wrapper.exitCode);
      }
      if (wrapper.state === 'lost') return this.recordLost(job, ctx, wrapper.localHost);
      if (Date.now() - lastFlagCheck > KILL_FLAG_POLL_MS || this.killRequests.has(jobId)) {
        lastFlagCheck = Date.now();
        if (this.killRequests.has(jobId) || job.kill_requested_at) return this.kill(job, ctx);
      }
      await sleep(POLL_MS);
    }
  }

  private async kill(job: Job, ctx: StepContext): Promise<void> {
    if (job.pgid) await terminateGroup(job.pgid, this.config.killGraceMs);
    await discardStaging(ctx, job.id);
    await this.state.transition(job.id, 'killed', { error_message: 'killed by user request' });
    this.log.log(`job ${job.id} killed`);
  }

  private async recordLost(job: Job, ctx: StepContext, localHost: boolean): Promise<void> {
    // The wrapper died without an exit status; make sure none of its tools keeps writing.
    if (localHost && job.pgid && groupAlive(job.pgid)) await terminateGroup(job.pgid, 0);
    await discardStaging(ctx, job.id);
    const killed = Boolean(job.kill_requested_at);
    await this.state.transition(job.id, killed ? 'killed' : 'failed', {
      error_message: killed
        ? 'killed by user request'
        : 'worker lost: the job process ended without recording an exit status ' +
          '(the worker or host stopped while it ran); start the step again',
    });
    this.log.warn(`job ${job.id} ended without exit status: recorded as lost`);
  }
}

/** The job's input reads as provenance rows (path, size, the job that wrote them). */
async function inputFiles(ctx: StepContext, pairs: readonly StepInput[]): Promise<NewJobFile[]> {
  const rows: NewJobFile[] = [];
  for (const pair of pairs) {
    for (const rel of Object.values(pair.rel)) {
      if (rows.some((r) => r.path === rel)) continue;
      const stat = await fs.promises.stat(ctx.workspace.path(rel)).catch(() => null);
      rows.push({
        role: 'input',
        path: rel,
        size: stat?.size ?? null,
        producer_step: pair.producer,
        producer_job_id: pair.producerJobId,
      });
    }
  }
  return rows;
}

/** Partial outputs of a job that did not complete are never published. */
async function discardStaging(ctx: StepContext, jobId: number): Promise<void> {
  await fs.promises.rm(ctx.workspace.stagingDir(jobId), { recursive: true, force: true });
}
