/**
 * Server status and identity (spec §6). Disk usage of the data directory is computed in the
 * background and cached, so /system/status stays instant on large installations.
 */
import * as fs from 'node:fs';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, SERVER_NAME, SERVER_VERSION } from '@qslam/common';
import { Database, JobsRepository, RunsRepository } from '@qslam/db';
import { STEP_NAMES, implementedSteps } from '@qslam/steps';
import { StepQueueService } from '../queue/step-queue.service';
import { diskUsage } from '../runs/runs.service';
import { detectToolVersions } from './tool-versions';

const DISK_CACHE_MS = 30_000;

export function humanBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)}${units[unit]}`;
}

export function humanDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d} day${d === 1 ? '' : 's'} ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return `${Math.floor(seconds)} s`;
}

@Injectable()
export class SystemService implements OnModuleInit {
  private readonly startedAt = Date.now();
  private tools: Record<string, string | null> = {};
  private disk = { bytes: 0, at: 0, computing: false };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly runs: RunsRepository,
    private readonly jobs: JobsRepository,
    private readonly queue: StepQueueService,
  ) {}

  onModuleInit(): void {
    void detectToolVersions().then((t) => (this.tools = t));
    this.refreshDisk();
  }

  private refreshDisk(): void {
    if (this.disk.computing || Date.now() - this.disk.at < DISK_CACHE_MS) return;
    this.disk.computing = true;
    diskUsage(this.config.dataDir)
      .then((bytes) => (this.disk = { bytes, at: Date.now(), computing: false }))
      .catch(() => (this.disk.computing = false));
  }

  async status() {
    this.refreshDisk();
    const counts = await this.jobs.countByStatus();
    const uptime = (Date.now() - this.startedAt) / 1000;
    let workers: string[] = [];
    let redis = true;
    try {
      workers = await this.queue.workers();
    } catch {
      redis = false;
    }
    const free = await fs.promises.statfs(this.config.dataDir).catch(() => null);
    return {
      active_jobs: counts.running,
      queued_jobs: counts.pending,
      total_runs: await this.runs.count(),
      jobs_by_status: counts,
      disk_usage: humanBytes(this.disk.bytes),
      disk_usage_bytes: this.disk.bytes,
      disk_free_bytes: free ? free.bavail * free.bsize : null,
      server_uptime: humanDuration(uptime),
      uptime_seconds: Math.floor(uptime),
      workers_online: workers.length,
      workers,
      redis: redis ? 'ok' : 'unavailable',
    };
  }

  info() {
    return {
      name: SERVER_NAME,
      version: SERVER_VERSION,
      deployment_mode: this.config.deploymentMode,
      steps: STEP_NAMES.map((name) => ({
        name,
        implemented: implementedSteps().some((s) => s.name === name),
      })),
      tools: this.tools,
      worker_concurrency: this.config.workerConcurrency,
    };
  }

  async health() {
    const db = await this.db.reader
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    const redis = await this.queue.ping();
    return {
      ok: db && redis,
      body: {
        status: db && redis ? 'ok' : 'degraded',
        database: db ? 'ok' : 'unavailable',
        redis: redis ? 'ok' : 'unavailable',
      },
    };
  }
}
