/** The API's side of the genome queue: enqueues index builds and tarball installs. */
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig, ServiceUnavailableError } from '@qslam/common';
import { bullGenomeJobId, GENOME_QUEUE, GenomeJobData } from '@qslam/genomes';
import { addJobOnce, redisConnection } from '@qslam/jobs';

const ENQUEUE_TIMEOUT_MS = 5000;

@Injectable()
export class GenomeQueueService implements OnApplicationShutdown {
  private readonly queue: Queue<GenomeJobData>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.queue = new Queue<GenomeJobData>(GENOME_QUEUE, {
      connection: redisConnection(config.redisUrl),
      prefix: config.queuePrefix,
    });
    this.queue.on('error', () => undefined);
  }

  async enqueue(data: GenomeJobData): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        addJobOnce(this.queue, 'genome', data, {
          jobId: bullGenomeJobId(data.genomeJobId),
          removeOnComplete: { count: 1000 },
          removeOnFail: { count: 1000 },
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      throw new ServiceUnavailableError(
        `The job queue (Redis at ${this.config.redisUrl}) is unavailable: ${String(err)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
