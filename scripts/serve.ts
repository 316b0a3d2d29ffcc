/**
 * `npm run serve`: the API and one worker in the foreground, as two processes (as in
 * production), sharing the environment. Ctrl-C stops both; if either exits, the other is
 * stopped too and the exit status is passed on. Running tools are not killed by stopping the
 * worker: the next worker start adopts them.
 *
 * Once the API answers, the `demo` genome is added through the API when the server has none
 * (scripts/demo-genome.ts), so that a new user can run the whole pipeline offline; set
 * QSLAM_DEMO_GENOME=0 to skip it. A failure there is reported and the server keeps running.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apiAnswers, ensureDemoGenome, writeDemoGenomeFiles } from './demo-genome';

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

/** Where this process reaches the API it started (HOST 0.0.0.0 / :: listen everywhere). */
function localApiUrl(): string {
  const host = process.env.HOST ?? '0.0.0.0';
  const reach = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${process.env.PORT ?? '5000'}`;
}

async function installDemoGenome(): Promise<void> {
  const say = (text: string) => console.log(`[serve] ${text}`);
  const setting = (process.env.QSLAM_DEMO_GENOME ?? '').trim().toLowerCase();
  if (['0', 'false', 'no', 'off'].includes(setting)) {
    say(`demo genome: skipped (QSLAM_DEMO_GENOME=${process.env.QSLAM_DEMO_GENOME})`);
    return;
  }
  const base = localApiUrl();
  for (let i = 0; !(await apiAnswers(base)); i++) {
    if (stopping) return;
    if (i >= 240) throw new Error(`the API did not answer at ${base} within 120 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-demo-genome-'));
  try {
    await ensureDemoGenome(base, () => writeDemoGenomeFiles(path.join(work, 'genome')).dir, say);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

installDemoGenome().catch((err: Error) => {
  if (!stopping) console.error(`[serve] the demo genome was not installed: ${err.message}`);
});
