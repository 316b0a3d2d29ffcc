// Worker threads of the site engine run scripts of this library: compiled (dist, as the worker
// app runs them) or, under ts-node / jest, from the TypeScript source through ts-node.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, WorkerOptions } from 'node:worker_threads';

/** A worker running `dir/name.js`, or `dir/name.ts` when there is no compiled script. */
export function startScriptWorker(dir: string, name: string, options: WorkerOptions = {}): Worker {
  const js = path.join(dir, `${name}.js`);
  if (fs.existsSync(js)) return new Worker(js, options);
  const ts = path.join(dir, `${name}.ts`);
  const code = `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(ts)});`;
  return new Worker(code, { ...options, eval: true });
}
