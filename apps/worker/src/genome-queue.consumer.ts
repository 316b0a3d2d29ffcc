/**
 * The BullMQ consumer of the genome queue (index builds and tarball installs).
 *
 * Its own queue and its own concurrency (one genome job at a time per worker: an index build
 * takes the whole machine's memory bandwidth, and a download is limited by the network), so a
 * step job waiting for its genome never holds the slot the genome job needs. Like the step
 * consumer, it adopts at start-up the running genome jobs whose worker on this host is gone.
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
import { APP_CONFIG, AppConfig } from '@qslam/common';
import { GenomesRepository } from '@qslam/db';
import { bullGenomeJobId, GENOME_QUEUE, GenomeJobData } from '@qslam/genomes';
import { processAlive, redisConnection, requeuePending } from '@qslam/jobs';
import { GenomeJobExecutor } from './genome-job.executor';

@Injectable()
export class GenomeQueueConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(GenomeQueueConsumer.name);
  private worker?: Worker<GenomeJobData>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly executor: GenomeJobExecutor,
    private readonly genomes: GenomesRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.adoptOrphans();
    await this.requeuePendingJobs();
    this.worker = new Worker<GenomeJobData>(
      GENOME_QUEUE,
      async (bullJob) => this.executor.execute(bullJob.data.genomeJobId),
      {
        connection: redisConnection(this.config.redisUrl),
        prefix: this.config.queuePrefix,
        concurrency: 1,
        name: `genome-worker@${os.hostname()}:${process.pid}`,
        lockDuration: this.config.jobLockMs,
        stalledInterval: Math.max(1000, Math.floor(this.config.jobLockMs / 2)),
        maxStalledCount: 1000,
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    );
    this.worker.on('failed', (job, err) =>
      this.log.error(`genome queue job ${job?.id} failed in the worker: ${err.message}`),
    );
    this.worker.on('error', (err) => this.log.error(`genome queue error: ${err.message}`));
  }

  private async adoptOrphans(): Promise<void> {
    const host = os.hostname();
    for (const job of await this.genomes.jobsWithStatus(['running'])) {
      const [ownerHost, ownerPid] = (job.worker_id ?? '').split(':');
      if (ownerHost !== host || processAlive(Number(ownerPid))) continue;
      this.log.log(`genome job ${job.id} lost its worker ${job.worker_id}; adopting it`);
      this.executor.execute(job.id).catch((err: unknown) => {
        this.log.error(`adopting genome job ${job.id} failed: ${String(err)}`);
      });
    }
  }

  /** Pending genome jobs go on the queue again (a no-op for those already there). */
  private async requeuePendingJobs(): Promise<void> {
    const entries = (await this.genomes.jobsWithStatus(['pending'])).map((job) => ({
      name: 'genome',
      data: { genomeJobId: job.id, genome: job.genome },
      jobId: bullGenomeJobId(job.id),
    }));
    const n = await requeuePending(
      this.config.redisUrl,
      this.config.queuePrefix,
      GENOME_QUEUE,
      entries,
    );
    if (n > 0) this.log.log(`${n} pending genome job(s) checked on the queue`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close(true);
  }
}
