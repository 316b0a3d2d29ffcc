/**
 * Reading and removing runs: list, details, status history, delete and clean. Removal is
 * refused while a job of the run is queued or running (kill it first), so no tool ever writes
 * into a folder that is being deleted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ConflictError } from '@qslam/common';
import { JobsRepository, Run, RunListFilter, RunsRepository } from '@qslam/db';
import { PRESERVED_BY_CLEAN, RunWorkspace, staleStepsOf, WORKSPACE_DIRS } from '@qslam/steps';
import { InFlight } from '../common/coalesce';
import { filesByJob, jobView, jobWithFiles, lastStep, runView } from './run-views';

type StatusView = Awaited<ReturnType<RunsService['readStatus']>>;

@Injectable()
export class RunsService {
  private readonly statusReads = new InFlight<StatusView>();
  private readonly listReads = new InFlight<{
    runs: Record<string, unknown>[];
    total: number;
    limit: number;
    offset: number;
  }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: RunsRepository,
    private readonly jobs: JobsRepository,
  ) {}

  workspace(runId: string): RunWorkspace {
    return new RunWorkspace(this.config.runsDir, runId);
  }

  async get(runId: string): Promise<Run> {
    this.workspace(runId); // rejects ids that are not UUIDs with a 404
    return this.runs.get(runId);
  }

  list(filter: RunListFilter) {
    return this.listReads.run(JSON.stringify(filter), async () => {
      const { runs, total } = await this.runs.list(filter);
      return { runs: runs.map(runView), total, limit: filter.limit, offset: filter.offset };
    });
  }

  async details(runId: string) {
    const run = await this.get(runId);
    const jobs = await this.jobs.history(runId);
    const root = this.workspace(runId).root;
    return { ...runView(run), last_step: lastStep(jobs), jobs: jobs.map((j) => jobView(j, root)) };
  }

  /** Run status with history; identical concurrent polls share one read (see InFlight). */
  status(runId: string) {
    return this.statusReads.run(runId, () => this.readStatus(runId));
  }

  private async readStatus(runId: string) {
    const run = await this.get(runId);
    const jobs = await this.jobs.history(runId);
    const root = this.workspace(runId).root;
    const files = filesByJob(await this.jobs.files(jobs.map((j) => j.id)));
    const stale = staleStepsOf(jobs);
    return {
      run_id: run.id,
      status: run.status,
      current_step: run.current_step,
      last_step: lastStep(jobs),
      /** Steps whose latest outputs predate a newer completed run of an upstream step. */
      stale_steps: stale,
      step_history: jobs.map((j) => jobWithFiles(j, root, files.get(j.id) ?? [], stale)),
    };
  }

  private async refuseWhileActive(runId: string, action: string): Promise<void> {
    const active = await this.jobs.activeForRun(runId);
    if (active) {
      throw new ConflictError(
        `Cannot ${action} run ${runId}: job ${active.id} (${active.step_name}) is ${active.status}. ` +
          `Kill it first with DELETE /runs/${runId}/kill.`,
        { job_id: active.id, step: active.step_name, status: active.status },
      );
    }
  }

  async delete(runId: string) {
    await this.get(runId);
    await this.refuseWhileActive(runId, 'delete');
    const ws = this.workspace(runId);
    // Rename first: the workspace disappears atomically, the slow removal follows.
    const trash = path.join(this.config.runsDir, '.trash', `${runId}-${Date.now()}`);
    await fs.promises.mkdir(path.dirname(trash), { recursive: true });
    await fs.promises.rename(ws.root, trash).catch(() => undefined);
    await this.runs.delete(runId);
    await fs.promises.rm(trash, { recursive: true, force: true });
    return { message: 'Run deleted', run_id: runId };
  }

  /** Removes every step output, keeping the uploaded reads and the logs (the audit trail). */
  async clean(runId: string) {
    await this.get(runId);
    await this.refuseWhileActive(runId, 'clean');
    const ws = this.workspace(runId);
    const entries = await fs.promises.readdir(ws.root).catch(() => [] as string[]);
    const removed: string[] = [];
    let bytes = 0;
    for (const entry of entries) {
      if (PRESERVED_BY_CLEAN.includes(entry)) continue;
      const full = ws.path(entry);
      bytes += await diskUsage(full);
      await fs.promises.rm(full, { recursive: true, force: true });
      removed.push(entry);
    }
    // The layout stays as created (empty step folders), so the run looks like a fresh upload.
    for (const dir of WORKSPACE_DIRS) await fs.promises.mkdir(ws.path(dir), { recursive: true });
    return {
      message: 'Run cleaned successfully',
      files_deleted: removed.length > 0,
      removed,
      bytes_freed: bytes,
      kept: PRESERVED_BY_CLEAN,
    };
  }
}

export async function diskUsage(target: string): Promise<number> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.lstat(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of await fs.promises.readdir(target)) {
    total += await diskUsage(path.join(target, entry));
  }
  return total;
}
