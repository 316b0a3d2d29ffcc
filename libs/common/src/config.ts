/**
 * Server configuration, read once from the environment.
 *
 * Every knob the operator can turn lives here, with its default, so that the README's
 * configuration table and the code cannot drift apart: `loadConfig` is a pure function of the
 * environment and is unit-tested. Paths are made absolute once, here.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export type DeploymentMode = 'local' | 'team' | 'trial';
const DEPLOYMENT_MODES: readonly DeploymentMode[] = ['local', 'team', 'trial'];

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  dbPath: string;
  runsDir: string;
  referencesDir: string;
  redisUrl: string;
  queuePrefix: string;
  workerConcurrency: number;
  threadsPerJob: number;
  deploymentMode: DeploymentMode;
  corsOrigins: string[] | true;
  killGraceMs: number;
  /** BullMQ lock duration: how long a dead worker's job stays locked before another adopts it. */
  jobLockMs: number;
  maxUploadBytes: number;
  heartbeatMs: number;
  /** CPU priority (nice, 0-19) of job processes, so the API stays responsive. */
  jobNice: number;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, key: string, fallback: number, min = 0): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${key} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function parseCors(raw: string | undefined): string[] | true {
  if (raw === undefined || raw.trim() === '' || raw.trim() === '*') return true;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = path.resolve(env.QSLAM_DATA_DIR || path.join(process.cwd(), 'data'));
  const mode = (env.QSLAM_DEPLOYMENT_MODE || 'local') as DeploymentMode;
  if (!DEPLOYMENT_MODES.includes(mode)) {
    throw new ConfigError(`QSLAM_DEPLOYMENT_MODE must be one of ${DEPLOYMENT_MODES.join('|')}`);
  }
  const cores = Math.max(1, os.availableParallelism());
  const workerConcurrency = intFrom(env, 'QSLAM_WORKER_CONCURRENCY', cores, 1);
  return {
    port: intFrom(env, 'PORT', 5000),
    host: env.HOST || '0.0.0.0',
    dataDir,
    dbPath: path.join(dataDir, 'qslam.db'),
    runsDir: path.join(dataDir, 'runs'),
    referencesDir: path.join(dataDir, 'references'),
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    queuePrefix: env.QSLAM_QUEUE_PREFIX || 'qslam',
    workerConcurrency,
    threadsPerJob: intFrom(
      env,
      'QSLAM_THREADS_PER_JOB',
      Math.max(1, Math.floor(cores / workerConcurrency)),
      1,
    ),
    deploymentMode: mode,
    corsOrigins: parseCors(env.QSLAM_CORS_ORIGINS),
    killGraceMs: intFrom(env, 'QSLAM_KILL_GRACE_MS', 10_000),
    jobLockMs: intFrom(env, 'QSLAM_JOB_LOCK_MS', 30_000, 1000),
    maxUploadBytes: intFrom(env, 'QSLAM_MAX_UPLOAD_BYTES', 50 * 1024 ** 3, 1),
    heartbeatMs: intFrom(env, 'QSLAM_HEARTBEAT_MS', 2_000, 100),
    jobNice: Math.min(19, intFrom(env, 'QSLAM_JOB_NICE', 10)),
  };
}
