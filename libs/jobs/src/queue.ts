/**
 * Names and connection settings shared by the API (producer) and workers (consumers).
 * `QSLAM_QUEUE_PREFIX` namespaces every Redis key and channel, so two stacks can share a Redis.
 */
import { ConnectionOptions } from 'bullmq';

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
