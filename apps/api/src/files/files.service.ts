/**
 * Files and results of a run. Results have one shape for every step: the job that produced
 * them, its summary numbers (from `results/{step}.json`, written by the worker) and links to
 * the step's files — never file contents inlined.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@qslam/common';
import { JobsRepository } from '@qslam/db';
import {
  implementedSteps,
  resolveInside,
  RunWorkspace,
  staleStepsOf,
  stepDefinition,
} from '@qslam/steps';
import { provenanceView } from '../runs/run-views';
import { RunsService } from '../runs/runs.service';

export interface FileEntry {
  path: string;
  size: number;
  modified_at: string;
  url: string;
}

interface StoredResults {
  step: string;
  job_id: number;
  variant: string | null;
  outputs: string[];
  summary: Record<string, unknown>;
}

const HIDDEN = /^\./;

@Injectable()
export class FilesService {
  constructor(
    private readonly runs: RunsService,
    private readonly jobs: JobsRepository,
  ) {}

  async list(runId: string): Promise<{ run_id: string; files: FileEntry[] }> {
    await this.runs.get(runId);
    const ws = this.runs.workspace(runId);
    return { run_id: runId, files: await walk(ws, ws.root) };
  }

  /** Absolute path of a workspace file; refuses anything that leaves the workspace. */
  async resolve(runId: string, relPath: string): Promise<string> {
    await this.runs.get(runId);
    const real = resolveInside(this.runs.workspace(runId).root, relPath);
    const stat = await fs.promises.stat(real);
    if (!stat.isFile()) throw new NotFoundError(`${relPath} is not a file`, { path: relPath });
    return real;
  }

  async stepResults(runId: string, step: string) {
    stepDefinition(step);
    await this.runs.get(runId);
    const ws = this.runs.workspace(runId);
    const latest = await this.jobs.latestForStep(runId, step);
    const stored = await readStored(ws, step);
    if (!stored) {
      throw new NotFoundError(`No results for step ${step} of run ${runId}`, {
        latest_job: latest ? { job_id: latest.id, status: latest.status } : null,
      });
    }
    const producer = await this.jobs.find(stored.job_id);
    const files: FileEntry[] = [];
    for (const rel of stored.outputs) files.push(...(await walk(ws, ws.path(rel))));
    const provenance = await this.jobs.files([stored.job_id]);
    const stale = staleStepsOf(await this.jobs.history(runId)).find(
      (s) => s.job_id === stored.job_id,
    );
    return {
      step,
      job: producer
        ? {
            job_id: producer.id,
            status: producer.status,
            variant: producer.variant,
            completed_at: producer.completed_at,
          }
        : { job_id: stored.job_id },
      latest_job: latest ? { job_id: latest.id, status: latest.status } : null,
      /** True when an upstream step completed again after this job: re-run this step. */
      stale: Boolean(stale),
      stale_because: stale ? { step: stale.newer_step, job_id: stale.newer_job_id } : null,
      inputs: provenanceView(provenance).inputs,
      summary: stored.summary,
      files,
    };
  }

  async allResults(runId: string) {
    await this.runs.get(runId);
    const results: Record<string, unknown> = {};
    for (const def of implementedSteps()) {
      try {
        results[def.name] = await this.stepResults(runId, def.name);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return { run_id: runId, results };
  }
}

async function readStored(ws: RunWorkspace, step: string): Promise<StoredResults | null> {
  try {
    return JSON.parse(await fs.promises.readFile(ws.resultsFile(step), 'utf8')) as StoredResults;
  } catch {
    return null;
  }
}

async function walk(ws: RunWorkspace, dir: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (HIDDEN.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(ws, full)));
    else if (entry.isFile()) {
      const stat = await fs.promises.stat(full);
      const rel = ws.relative(full);
      out.push({
        path: rel,
        size: stat.size,
        modified_at: stat.mtime.toISOString(),
        url: `/runs/${ws.runId}/files/${rel.split(path.sep).map(encodeURIComponent).join('/')}`,
      });
    }
  }
  return out;
}
