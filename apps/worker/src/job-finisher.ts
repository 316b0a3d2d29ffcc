/**
 * Records a finished job's outcome. Success: the staged outputs replace the previous ones
 * (rename, so readers never see a half-written folder), the step's summary is written to
 * `results/{step}.json`, and the job becomes `completed`. Failure: staging is discarded, the
 * previous good outputs stay, and `error_message` quotes the end of the log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { readTail } from '@qslam/common';
import { Job, NewJobFile, RunStateService } from '@qslam/db';
import { JobScript } from '@qslam/jobs';
import { StepContext, stepDefinition } from '@qslam/steps';

const ERROR_TAIL_LINES = 15;

@Injectable()
export class JobFinisher {
  private readonly log = new Logger(JobFinisher.name);

  constructor(private readonly state: RunStateService) {}

  async finish(job: Job, ctx: StepContext, exitCode: number): Promise<void> {
    const staging = ctx.workspace.stagingDir(job.id);
    if (exitCode !== 0) {
      await fs.promises.rm(staging, { recursive: true, force: true });
      const killed = Boolean(job.kill_requested_at);
      await this.state.transition(job.id, killed ? 'killed' : 'failed', {
        exit_code: exitCode,
        error_message: killed ? 'killed by user request' : await this.errorMessage(job, exitCode),
      });
      return;
    }
    // Claim the staged outputs with an atomic rename. If the rename fails, an earlier attempt
    // (a worker that died half-way through finishing) already claimed or moved them: carry on
    // with what is there; entries already in place are skipped.
    const claimed = `${staging}.claimed`;
    await fs.promises.rename(staging, claimed).catch(() => undefined);
    try {
      const def = stepDefinition(job.step_name);
      const files = ctx.workspace.jobFiles(job.step_name, job.id);
      const script = JSON.parse(await fs.promises.readFile(files.script, 'utf8')) as JobScript;
      const outputs = script.outputs ?? [];
      await this.moveIntoPlace(ctx, claimed, outputs);
      const summary = await def.summarize(ctx);
      await this.writeResults(ctx, job, outputs, summary);
      const produced = await outputFiles(ctx, outputs);
      await this.state.transition(job.id, 'completed', { exit_code: 0 }, produced);
    } catch (err) {
      this.log.error(`job ${job.id}: outputs could not be recorded: ${String(err)}`);
      await this.state.transition(job.id, 'failed', {
        exit_code: 0,
        error_message: `the tool succeeded but its outputs could not be read: ${String(err)}`,
      });
    } finally {
      await fs.promises.rm(claimed, { recursive: true, force: true });
    }
  }

  private async moveIntoPlace(ctx: StepContext, staging: string, outputs: string[]) {
    for (const rel of outputs) {
      const staged = path.join(staging, rel);
      // Adoption after a crash may find the move already done.
      if (!fs.existsSync(staged)) continue;
      const dest = ctx.workspace.path(rel);
      await fs.promises.rm(dest, { recursive: true, force: true });
      await fs.promises.mkdir(path.dirname(dest), { recursive: true });
      await fs.promises.rename(staged, dest);
    }
  }

  private async writeResults(
    ctx: StepContext,
    job: Job,
    outputs: string[],
    summary: Record<string, unknown>,
  ): Promise<void> {
    const file = ctx.workspace.resultsFile(job.step_name);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const body = { step: job.step_name, job_id: job.id, variant: job.variant, outputs, summary };
    await fs.promises.writeFile(`${file}.tmp`, JSON.stringify(body, null, 2));
    await fs.promises.rename(`${file}.tmp`, file);
  }

  private async errorMessage(job: Job, exitCode: number): Promise<string> {
    const tail = job.log_file ? await readTail(job.log_file, ERROR_TAIL_LINES) : '';
    return `${job.step_name} exited with status ${exitCode}. Last log lines:\n${tail}`;
  }
}

/** Every file under the job's output folders, now in place, as provenance rows. */
async function outputFiles(ctx: StepContext, outputs: readonly string[]): Promise<NewJobFile[]> {
  const rows: NewJobFile[] = [];
  const visit = async (rel: string): Promise<void> => {
    const stat = await fs.promises.lstat(ctx.workspace.path(rel)).catch(() => null);
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of (await fs.promises.readdir(ctx.workspace.path(rel))).sort()) {
        await visit(`${rel}/${entry}`);
      }
    } else {
      rows.push({
        role: 'output',
        path: rel,
        size: stat.size,
        producer_job_id: null,
        producer_step: null,
      });
    }
  };
  for (const rel of outputs) await visit(rel);
  return rows;
}
