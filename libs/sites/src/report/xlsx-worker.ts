// The workbook thread's script (xlsx-thread.ts): one WorkbookJob, one reply.

import { parentPort } from 'node:worker_threads';
import { WorkbookJob, WorkbookReply } from './xlsx-thread';
import { writeSitesWorkbook } from './xlsx';

if (parentPort !== null) {
  const port = parentPort;
  port.once('message', (job: WorkbookJob) => {
    const reply = (r: WorkbookReply) => port.postMessage(r);
    writeSitesWorkbook(job.file, job.tables, job.summary).then(
      () => reply({ ok: true }),
      (err: unknown) =>
        reply({ ok: false, message: err instanceof Error ? err.message : String(err) }),
    );
  });
}
