/**
 * Killing a job: the whole process group goes, down to grandchildren the wrapper never saw
 * (a tool's own helpers, here `sleep` started by `sh -c`). Checked against /proc.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspectWrapper, launchJob, readExitCode } from './job-launcher';
import { groupAlive, terminateGroup, wrapperAlive } from './process-group';
import {
  groupMembers,
  readLog,
  testJob,
  waitFor,
  waitForExitCode,
} from './test-support/job-harness';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-pgroup-')));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Launches `sh -c script` as a job and waits until the shell printed the line `ready` (the
 * wrapper's own log line quotes the script, so the marker must be a line of its own).
 */
async function launchShell(name: string, script: string, ready: string) {
  const job = testJob(dir, name, [[{ argv: ['sh', '-c', script] }]]);
  const pgid = launchJob(job.script, job.scriptPath);
  await waitFor(`${name} ready`, () => readLog(job).includes(`\n${ready}\n`));
  return { job, pgid };
}

describe('terminateGroup', () => {
  it('terminates the wrapper, the shell and its grandchild; nothing of the group survives', async () => {
    const { job, pgid } = await launchShell('term', 'sleep 1000 & echo started; wait', 'started');
    // `started` can come before the forked child has exec'd sleep (it still shows as sh)
    await waitFor('sleep exec', () => groupMembers(pgid).some((p) => p.cmdline === 'sleep 1000'));
    const before = groupMembers(pgid);
    const commands = before.map((p) => p.cmdline);
    expect(commands).toEqual(
      expect.arrayContaining([
        expect.stringContaining(job.scriptPath),
        'sh -c sleep 1000 & echo started; wait',
        'sleep 1000',
      ]),
    );
    expect(groupAlive(pgid)).toBe(true);
    expect(wrapperAlive(pgid, job.scriptPath)).toBe(true);

    expect(await terminateGroup(pgid, 5000)).toBe('term');

    expect(groupAlive(pgid)).toBe(false);
    expect(groupMembers(pgid)).toEqual([]);
    for (const p of before) expect(fs.existsSync(`/proc/${p.pid}`)).toBe(false);
    // The wrapper outlived its children long enough to record how they ended.
    expect(readExitCode(job.script.rcFile)).toBe(143);
    expect(readLog(job)).toContain('exit status 143');
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    // Ignored signals are inherited: neither sh nor its sleep will die of SIGTERM.
    const { job, pgid } = await launchShell(
      'kill',
      "trap '' TERM; sleep 1000 & echo started; wait",
      'started',
    );
    const before = groupMembers(pgid);
    expect(before.length).toBeGreaterThanOrEqual(3);

    const started = Date.now();
    expect(await terminateGroup(pgid, 300)).toBe('kill');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    expect(groupAlive(pgid)).toBe(false);
    expect(groupMembers(pgid)).toEqual([]);
    // SIGKILL leaves the wrapper no time to write an rc: the worker sees the job as lost.
    expect(readExitCode(job.script.rcFile)).toBeNull();
    const files = { script: job.scriptPath, rc: job.script.rcFile, pid: job.script.pidFile };
    expect(inspectWrapper(files, 100)).toEqual({ state: 'lost', pid: pgid, localHost: true });
  });

  it('records a kill that arrives before the first tool started, and starts nothing', async () => {
    const job = testJob(dir, 'early', [
      [{ argv: ['sleep', '1000'] }],
      [{ argv: ['touch', 'should-not-exist'] }],
    ]);
    const pgid = launchJob(job.script, job.scriptPath);
    // The pid file is the first thing the wrapper writes: kill at once.
    await waitFor('pid file', () => fs.existsSync(job.script.pidFile));
    expect(await terminateGroup(pgid, 5000)).toBe('term');
    expect(groupMembers(pgid)).toEqual([]);
    expect(readExitCode(job.script.rcFile)).toBe(143);
    expect(fs.existsSync(path.join(dir, 'should-not-exist'))).toBe(false);
  });

  it('is a no-op for a group that is already gone', async () => {
    const job = testJob(dir, 'gone', [[{ argv: ['true'] }]]);
    const pgid = launchJob(job.script, job.scriptPath);
    expect(await waitForExitCode(job)).toBe(0);
    await waitFor('wrapper exit', () => !groupAlive(pgid));
    expect(await terminateGroup(pgid, 1000)).toBe('term');
    expect(wrapperAlive(pgid, job.scriptPath)).toBe(false);
  });
});
