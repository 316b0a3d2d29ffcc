/**
 * The job wrapper with real subprocesses: every job below is started the way the worker starts
 * it and observed only through its files (log, rc, pid), as the worker does.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { inspectWrapper, launchJob, readExitCode, readPidRecord } from './job-launcher';
import { PidRecord } from './job-script';
import { terminateGroup } from './process-group';
import {
  procInfo,
  readLog,
  testJob,
  TestJob,
  waitFor,
  waitForExitCode,
} from './test-support/job-harness';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-jobs-')));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sh = (script: string) => ({ argv: ['sh', '-c', script] });

describe('job outcomes', () => {
  // Started together: each wrapper pays a node start-up, so they share the wait.
  const jobs: Record<string, TestJob> = {};
  const rc: Record<string, number> = {};
  const pids: Record<string, number> = {};

  beforeAll(async () => {
    const defs: Record<string, TestJob['script']['commands']> = {
      ok: [[{ argv: ['echo', 'hello world'] }], [sh('echo to stderr >&2')]],
      fails: [[sh('echo before; exit 3')], [{ argv: ['echo', 'never printed'] }]],
      pipeOk: [[{ argv: ['printf', 'b\\na\\nc\\n'] }, { argv: ['sort'] }]],
      pipeFirstFails: [[sh('echo partial; exit 4'), { argv: ['cat'] }]],
      pipeLastFails: [[{ argv: ['echo', 'x'] }, sh('cat >/dev/null; exit 5')]],
      toFile: [
        [{ argv: ['echo', 'into a file'], stdoutFile: 'relative.txt' }],
        [
          { argv: ['printf', 'z\\ny\\n'] },
          { argv: ['sort'], stdoutFile: path.join(dir, 'abs.txt') },
        ],
      ],
      notFound: [[{ argv: ['qslam-no-such-tool', '--version'] }]],
      env: [[sh('echo "value=$QSLAM_TEST_VALUE"')]],
    };
    for (const [name, commands] of Object.entries(defs)) {
      jobs[name] = testJob(dir, name, commands);
      if (name === 'env') jobs[name].script.env = { QSLAM_TEST_VALUE: 'from script' };
      pids[name] = launchJob(jobs[name].script, jobs[name].scriptPath);
    }
    for (const name of Object.keys(defs)) rc[name] = await waitForExitCode(jobs[name]);
  });

  it('writes rc 0 and the output of every command to the log', () => {
    expect(rc.ok).toBe(0);
    const log = readLog(jobs.ok);
    expect(log).toContain("$ echo 'hello world'\nhello world\n");
    expect(log).toContain('to stderr\n');
    expect(log).toMatch(/exit status 0\n$/);
    expect(fs.readFileSync(jobs.ok.script.rcFile, 'utf8')).toBe('0\n');
  });

  it('records the wrapper in the pid file and the script beside it', () => {
    const record = readPidRecord(jobs.ok.script.pidFile) as PidRecord;
    expect(record).toMatchObject({ pid: pids.ok, host: os.hostname(), script: jobs.ok.scriptPath });
    expect(JSON.parse(fs.readFileSync(jobs.ok.scriptPath, 'utf8'))).toEqual(jobs.ok.script);
  });

  it('stops at a failing command and records its exit status', () => {
    expect(rc.fails).toBe(3);
    const log = readLog(jobs.fails);
    expect(log).toContain('before\n');
    expect(log).not.toContain('never printed');
    expect(log).toContain('exit status 3');
  });

  it('pipes stages into each other', () => {
    expect(rc.pipeOk).toBe(0);
    expect(readLog(jobs.pipeOk)).toContain("$ printf 'b\\na\\nc\\n' | sort\na\nb\nc\n");
  });

  it('fails a pipeline whose first stage fails (pipefail)', () => {
    expect(rc.pipeFirstFails).toBe(4);
    expect(readLog(jobs.pipeFirstFails)).toContain('partial\n');
  });

  it('fails a pipeline whose last stage fails', () => {
    expect(rc.pipeLastFails).toBe(5);
  });

  it('redirects stdout to a file, relative to the job cwd or absolute', () => {
    expect(rc.toFile).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'relative.txt'), 'utf8')).toBe('into a file\n');
    expect(fs.readFileSync(path.join(dir, 'abs.txt'), 'utf8')).toBe('y\nz\n');
    expect(readLog(jobs.toFile)).not.toContain('into a file\n');
  });

  it('reports a missing program as 127, like a shell', () => {
    expect(rc.notFound).toBe(127);
  });

  it("passes the script's environment to the tools", () => {
    expect(readLog(jobs.env)).toContain('value=from script\n');
  });

  it('is seen as finished by inspectWrapper', () => {
    const filesOf = (job: TestJob) => ({
      script: job.scriptPath,
      rc: job.script.rcFile,
      pid: job.script.pidFile,
    });
    expect(inspectWrapper(filesOf(jobs.fails), 100)).toEqual({ state: 'finished', exitCode: 3 });
    expect(inspectWrapper(filesOf(jobs.ok), 100)).toEqual({ state: 'finished', exitCode: 0 });
  });
});

describe('a job outlives the process that launched it', () => {
  it('keeps running and writes its rc after the launcher has exited', async () => {
    const job = testJob(dir, 'orphan', [[sh('sleep 1; echo survived')]]);
    // A separate node process launches the job and exits at once, dropping its handle.
    const launcher = `
      const { launchJob } = require(${JSON.stringify(path.join(__dirname, 'job-launcher.ts'))});
      const job = JSON.parse(process.env.QSLAM_TEST_JOB);
      process.stdout.write(String(launchJob(job.script, job.scriptPath)));
      process.exit(0);`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', require.resolve('ts-node/register/transpile-only'), '-e', launcher],
      {
        env: {
          ...process.env,
          QSLAM_TEST_JOB: JSON.stringify(job),
          TS_NODE_PROJECT: path.resolve(__dirname, '../../../tsconfig.json'),
        },
      },
    );
    const pid = Number(stdout);
    expect(pid).toBeGreaterThan(1);
    expect(readExitCode(job.script.rcFile)).toBeNull();
    const wrapper = procInfo(pid);
    expect(wrapper?.cmdline).toContain(job.scriptPath);
    // it leads its own process group (the job's pgid)
    expect(wrapper?.pgrp).toBe(pid);
    const files = { script: job.scriptPath, rc: job.script.rcFile, pid: job.script.pidFile };
    expect(inspectWrapper(files, 100)).toMatchObject({ state: 'running' });

    expect(await waitForExitCode(job)).toBe(0);
    expect(readLog(job)).toContain('survived\n');
    expect(inspectWrapper(files, 100)).toEqual({ state: 'finished', exitCode: 0 });
  });
});

describe('inspectWrapper without a finished rc', () => {
  let n = 0;
  const files = () => {
    const base = path.join(dir, `inspect-${n++}`);
    return { script: `${base}.json`, rc: `${base}.rc`, pid: `${base}.pid` };
  };
  const writePid = (file: string, record: Partial<PidRecord>) =>
    fs.writeFileSync(file, JSON.stringify(record));
  const age = (file: string, ms: number) => {
    const t = new Date(Date.now() - ms);
    fs.utimesSync(file, t, t);
  };

  it('gives a just-written script time to start, then declares it lost', () => {
    const f = files();
    fs.writeFileSync(f.script, '{}');
    expect(inspectWrapper(f, 100)).toEqual({ state: 'running', pid: null, localHost: true });
    age(f.script, 60_000);
    expect(inspectWrapper(f, 100)).toEqual({ state: 'lost', pid: null, localHost: true });
    expect(inspectWrapper(files(), 100)).toEqual({ state: 'lost', pid: null, localHost: true });
  });

  it('on this host, checks that the pid is alive and is the wrapper of this script', () => {
    const f = files();
    // This test process is alive but is not running that script: pid reuse, not the wrapper.
    writePid(f.pid, { pid: process.pid, host: os.hostname(), script: f.script });
    expect(inspectWrapper(f, 100)).toEqual({ state: 'lost', pid: process.pid, localHost: true });
  });

  it('on another host, trusts a fresh heartbeat only', () => {
    const f = files();
    writePid(f.pid, { pid: 12345, host: 'some-other-host', script: f.script });
    expect(inspectWrapper(f, 1000)).toEqual({ state: 'running', pid: 12345, localHost: false });
    age(f.pid, 6000);
    expect(inspectWrapper(f, 1000)).toEqual({ state: 'lost', pid: 12345, localHost: false });
  });

  it('sees a running wrapper on this host as running until it finishes', async () => {
    const job = testJob(dir, 'inspect-live', [[{ argv: ['sleep', '30'] }]]);
    const pid = launchJob(job.script, job.scriptPath);
    const f = { script: job.scriptPath, rc: job.script.rcFile, pid: job.script.pidFile };
    await waitFor('pid file', () => readPidRecord(f.pid));
    expect(inspectWrapper(f, 100)).toEqual({ state: 'running', pid, localHost: true });
    await terminateGroup(pid, 5000);
    expect(inspectWrapper(f, 100)).toEqual({ state: 'finished', exitCode: 143 });
  });
});

describe('readExitCode', () => {
  it('reads an integer and refuses anything else', () => {
    const file = path.join(dir, 'x.rc');
    const read = (text: string) => {
      fs.writeFileSync(file, text);
      return readExitCode(file);
    };
    expect(read('0\n')).toBe(0);
    expect(read(' 137 \n')).toBe(137);
    expect(read('-1')).toBe(-1);
    expect(read('')).toBeNull();
    expect(read('1.5')).toBeNull();
    expect(read('ok')).toBeNull();
    expect(readExitCode(path.join(dir, 'missing.rc'))).toBeNull();
  });
});
