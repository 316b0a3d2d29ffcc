/**
 * Names and connection settings shared by the API (producer) and workers (consumers).
 * `QSLAM_QUEUE_PREFIX` namespaces every Redis key and channel, so two stacks can share a Redis.
 */
import { ConnectionOptions, JobsOptions, Queue } from 'bullmq';

export const STEP_QUEUE = 'steps';

/** Payload of a step job on the queue; the database row is the source of truth. */
export interface StepJobData {
  jobId: number;
  runId: string;
  step: string;
}

export function bullJobId(jobId: number): string {
  return `job-${jobId}`;
}

/**
 * Adds a job whose BullMQ id derives from its database row. A *finished* BullMQ job under that id
 * can only be a leftover of an earlier database on the same Redis and prefix (the data directory
 * was reset, Redis was not): BullMQ would silently drop the new job as a duplicate and it would
 * stay `pending` for ever, so the leftover is removed first. A waiting or active entry under the
 * id delivers the same database row and is kept.
 */
export async function addJobOnce<T>(
  queue: Queue<T>,
  name: string,
  data: T,
  opts: JobsOptions & { jobId: string },
): Promise<void> {
  const existing = await queue.getJob(opts.jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === 'completed' || state === 'failed') await existing.remove();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await queue.add(name as any, data as any, opts);
}

/**
 * Puts every given job (database rows still `pending`) on the queue again, through addJobOnce,
 * so that nothing is lost when the API died between recording a job and enqueueing it (or Redis
 * lost its data): a job already waiting or running keeps its entry. Run by each worker at start-up.
 */
export async function requeuePending<T>(
  url: string,
  prefix: string,
  queueName: string,
  entries: ReadonlyArray<{ name: string; data: T; jobId: string }>,
): Promise<number> {
  if (entries.length === 0) return 0;
  const queue = new Queue<T>(queueName, { connection: redisConnection(url), prefix });
  try {
    for (const e of entries) {
      await addJobOnce(queue, e.name, e.data, {
        jobId: e.jobId,
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      });
    }
    return entries.length;
  } finally {
    await queue.close();
  }
}

export function controlChannel(prefix: string): string {
  return `${prefix}:control`;
}

/** Messages from the API to whichever worker owns a job. */
export interface ControlMessage {
  type: 'kill';
  jobId: number;
}

export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
