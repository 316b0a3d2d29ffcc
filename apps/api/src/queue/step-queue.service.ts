/**
 * The API's side of Redis: enqueues step jobs, cancels queued ones, publishes control messages
 * to workers and reports which workers are online. The API holds no job state of its own, so
 * restarting it never disturbs running jobs.
 */
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig, ServiceUnavailableError } from '@qslam/common';
import {
  addJobOnce,
  bullJobId,
  controlChannel,
  ControlMessage,
  redisConnection,
  STEP_QUEUE,
  StepJobData,
} from '@qslam/jobs';

@Injectable()
export class StepQueueService implements OnApplicationShutdown {
  private readonly queue: Queue<StepJobData>;
  private readonly publisher: IORedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.queue = new Queue<StepJobData>(STEP_QUEUE, {
      connection: redisConnection(config.redisUrl),
      prefix: config.queuePrefix,
    });
    this.queue.on('error', () => undefined);
    this.publisher = new IORedis(config.redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: false,
    });
    this.publisher.on('error', () => undefined);
  }

  async enqueue(data: StepJobData): Promise<void> {
    try {
      await withTimeout(
        addJobOnce(this.queue, data.step, data, {
          jobId: bullJobId(data.jobId),
          removeOnComplete: { count: 1000 },
          removeOnFail: { count: 1000 },
        }),
        5000,
      );
    } catch (err) {
      throw new ServiceUnavailableError(
        `The job queue (Redis at ${this.config.redisUrl}) is unavailable: ${String(err)}`,
      );
    }
  }

  /** Removes a job still waiting in the queue; false when a worker already holds it. */
  async cancelQueued(jobId: number): Promise<boolean> {
    const job = await this.queue.getJob(bullJobId(jobId));
    if (!job) return false;
    try {
      await job.remove();
      return true;
    } catch {
      return false;
    }
  }

  async publish(message: ControlMessage): Promise<void> {
    await this.publisher.publish(controlChannel(this.config.queuePrefix), JSON.stringify(message));
  }

  async counts(): Promise<{ waiting: number; active: number }> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
      active: counts.active ?? 0,
    };
  }

  async workers(): Promise<string[]> {
    const workers = await this.queue.getWorkers();
    return workers.map((w) => w.name ?? w.addr ?? 'worker');
  }

  async ping(): Promise<boolean> {
    try {
      return (await withTimeout(this.publisher.ping(), 1000)) === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.publisher.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms),
    ),
  ]);
}
