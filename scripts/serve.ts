/**
 * `npm run serve`: the API and one worker in the foreground, as two processes (as in
 * production), sharing the environment. Ctrl-C stops both; if either exits, the other is
 * stopped too and the exit status is passed on. Running tools are not killed by stopping the
 * worker: the next worker start adopts them.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const dist = path.resolve(__dirname, '..', '..');
const apps: Record<string, string> = {
  api: path.join(dist, 'api', 'apps', 'api', 'src', 'main.js'),
  worker: path.join(dist, 'worker', 'apps', 'worker', 'src', 'main.js'),
};

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r(null)))),
  ).then(
    () => process.exit(code),
    () => process.exit(code),
  );
}

for (const [name, entry] of Object.entries(apps)) {
  const child = spawn(process.execPath, [entry], { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`[serve] ${name} exited (${code ?? signal}); stopping`);
    stopAll(code ?? 1);
  });
  children.push(child);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(0));
