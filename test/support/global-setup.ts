import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisAnswers } from './stack';

/**
 * The e2e suite needs a real Redis. When none answers at REDIS_URL (default
 * redis://127.0.0.1:6379) a private redis-server is started on a free port and REDIS_URL is
 * pointed at it for every test file. The build must exist: the tests start the built apps.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await redisAnswers(url)) {
    process.env.REDIS_URL = url;
    return;
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'qslam-test-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  const started = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await redisAnswers(started)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await redisAnswers(started))) throw new Error(`redis-server did not start on port ${port}`);
  process.env.REDIS_URL = started;
  process.env.QSLAM_TEST_REDIS_PID = String(child.pid);
}
