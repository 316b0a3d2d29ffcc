/**
 * The BullMQ consumer of the step queue and the listener of the control channel.
 *
 * Concurrency is QSLAM_WORKER_CONCURRENCY: excess jobs wait in Redis (status `pending`). The
 * BullMQ lock is what lets another worker take over the job of a worker that died: its lock
 * expires, BullMQ re-delivers the job, and JobExecutor adopts the running tool. On start-up the
 * worker also adopts at once the running jobs it finds in the database whose owner on this host
 * is gone, instead of waiting for the lock to expire. Kill requests arrive over Redis pub/sub
 * (and, as a fallback, through the `kill_requested_at` column the monitor polls).
 */
import * as os from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@qslam/common';
import { JobsRepository } from '@qslam/db';
import {
  bullJobId,
  controlChannel,
  ControlMessage,
  processAlive,
  redisConnection,
  requeuePending,
  STEP_QUEUE,
  StepJobData,
} from '@qslam/jobs';
import { JobExecutor } from './job-executor';

@Injectable()
export class StepQueueConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(StepQueueConsumer.name);
  private worker?: Worker<StepJobData>;
  private subscriber?: IORedis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly executor: JobExecutor,
    private readonly jobs: JobsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listenForControl();
    await this.adoptOrphans();
    await this.requeuePendingJobs();
    this.worker = new Worker<StepJobData>(
      STEP_QUEUE,
      async (bullJob) => this.executor.execute(bullJob.data.jobId),
      {
        connection: redisConnection(this.config.redisUrl),
        prefix: this.config.queuePrefix,
        concurrency: this.config.workerConcurrency,
        name: `worker@${os.hostname()}:${process.pid}`,
        lockDuration: this.config.jobLockMs,
        stalledInterval: Math.max(1000, Math.floor(this.config.jobLockMs / 2)),
        maxStalledCount: 1000,
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    );
    this.worker.on('failed', (job, err) =>
      this.log.error(`queue job ${job?.id} failed in the worker: ${err.message}`),
    );
    this.worker.on('error', (err) => this.log.error(`queue error: ${err.message}`));
    this.log.log(
      `worker ${this.executor.workerId} consuming "${this.config.queuePrefix}:${STEP_QUEUE}" ` +
        `with concurrency ${this.config.workerConcurrency}, ${this.config.threadsPerJob} thread(s) per job`,
    );
  }

  /** Running jobs owned by a dead worker process on this host are adopted immediately. */
  private async adoptOrphans(): Promise<void> {
    const host = os.hostname();
    for (const job of await this.jobs.withStatus(['running'])) {
      const [ownerHost, ownerPid] = (job.worker_id ?? '').split(':');
      if (ownerHost !== host || processAlive(Number(ownerPid))) continue;
      this.log.log(`job ${job.id} lost its worker ${job.worker_id}; adopting it`);
      this.executor.execute(job.id).catch((err: unknown) => {
        this.log.error(`adopting job ${job.id} failed: ${String(err)}`);
      });
    }
  }

  /** Pending jobs go on the queue again (a no-op for those already there). */
  private async requeuePendingJobs(): Promise<void> {
    const pending = await this.jobs.withStatus(['pending']);
    const entries = pending
      .filter((job) => job.step_name !== 'upload')
      .map((job) => ({
        name: job.step_name,
        data: { jobId: job.id, runId: job.run_id, step: job.step_name },
        jobId: bullJobId(job.id),
      }));
    const n = await requeuePending(
      this.config.redisUrl,
      this.config.queuePrefix,
      STEP_QUEUE,
      entries,
    );
    if (n > 0) this.log.log(`${n} pending job(s) checked on the queue`);
  }

  private async listenForControl(): Promise<void> {
    this.subscriber = new IORedis(this.config.redisUrl, { maxRetriesPerRequest: null });
    const channel = controlChannel(this.config.queuePrefix);
    await this.subscriber.subscribe(channel);
    this.subscriber.on('message', (_channel: string, text: string) => {
      try {
        const message = JSON.parse(text) as ControlMessage;
        if (message.type === 'kill') this.executor.requestKill(message.jobId);
      } catch {
        this.log.warn(`ignoring malformed control message: ${text.slice(0, 200)}`);
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // Closing does not stop running tools: they belong to their wrappers and will be adopted.
    await this.worker?.close(true);
    this.subscriber?.disconnect();
  }
}
