// sites.xlsx written on a worker thread (xlsx-worker.ts) while the main thread writes the text
// files and the plots: on a 2-core machine building and deflating the workbook (≈ 0.1 s for 1M
// read pairs) then costs no wall time. The thread is started early (it loads while the BAM is
// read) and takes one job; `close` ends it, used or not.

import { Worker } from 'node:worker_threads';
import { startScriptWorker } from '../script-worker';
import { SiteTable } from '../types';

/** What the thread gets, and what it answers. */
export interface WorkbookJob {
  file: string;
  tables: SiteTable[];
  summary: Record<string, unknown>;
}
export type WorkbookReply = { ok: true } | { ok: false; message: string };

export class WorkbookThread {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private failure: Error | null = null;

  constructor() {
    this.worker = startScriptWorker(__dirname, 'xlsx-worker');
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('error', (err) => (this.failure = err));
  }

  /** Writes the workbook on the thread (writeSitesWorkbook: atomic, as in-process). */
  write(job: WorkbookJob): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure !== null) return reject(this.failure);
      const onExit = () => reject(this.failure ?? new Error('the workbook thread stopped'));
      this.worker.once('exit', onExit);
      this.worker.once('message', (reply: WorkbookReply) => {
        this.worker.off('exit', onExit);
        if (reply.ok) resolve();
        else reject(new Error(`sites.xlsx: ${reply.message}`));
      });
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
    await this.exited;
  }
}
