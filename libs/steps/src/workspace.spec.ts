import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ForbiddenPathError, NotFoundError } from '@qslam/common';
import { resolveInside, RunWorkspace } from './workspace';

const RUN_ID = '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

describe('RunWorkspace', () => {
  const ws = new RunWorkspace('/data/runs', RUN_ID);

  it('builds paths under runs/{run_id}', () => {
    expect(ws.root).toBe(`/data/runs/${RUN_ID}`);
    expect(ws.rawR1).toBe(`/data/runs/${RUN_ID}/rawdata/R1.fastq.gz`);
    expect(ws.rawR2).toBe(`/data/runs/${RUN_ID}/rawdata/R2.fastq.gz`);
    expect(ws.resultsFile('qc')).toBe(`/data/runs/${RUN_ID}/results/qc.json`);
    expect(ws.stagingDir(12)).toBe(`/data/runs/${RUN_ID}/.staging/12`);
    expect(ws.relative(ws.path('bwa', 'x.bam'))).toBe('bwa/x.bam');
  });

  it('names job files logs/{step}.{id}.log with the rc, pid and script beside it', () => {
    expect(ws.jobFiles('cutadapt', 7)).toEqual({
      log: `/data/runs/${RUN_ID}/logs/cutadapt.7.log`,
      rc: `/data/runs/${RUN_ID}/logs/cutadapt.7.rc`,
      pid: `/data/runs/${RUN_ID}/logs/cutadapt.7.pid`,
      script: `/data/runs/${RUN_ID}/logs/cutadapt.7.json`,
    });
  });

  it('refuses run ids that are not lower-case UUIDs', () => {
    for (const bad of ['..', '../x', RUN_ID.toUpperCase(), `${RUN_ID}/..`, '', 'abc']) {
      expect(() => new RunWorkspace('/data/runs', bad)).toThrow(NotFoundError);
    }
  });
});

describe('resolveInside', () => {
  let tmp: string;
  let root: string;
  let outside: string;

  beforeAll(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-ws-')));
    root = path.join(tmp, 'run');
    outside = path.join(tmp, 'other');
    fs.mkdirSync(path.join(root, 'fastqc', 'beforeCutAdapt'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(root, 'fastqc', 'beforeCutAdapt', 'R1_fastqc.html'), 'ok');
    fs.writeFileSync(path.join(root, 'top.txt'), 'ok');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    // links out of the workspace: to a file and to a directory
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
    fs.symlinkSync(outside, path.join(root, 'leakdir'));
    fs.symlinkSync('/etc', path.join(root, 'etc'));
    // a link that stays inside is fine
    fs.symlinkSync(path.join(root, 'top.txt'), path.join(root, 'alias.txt'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('accepts normal nested paths and returns the real path', () => {
    expect(resolveInside(root, 'fastqc/beforeCutAdapt/R1_fastqc.html')).toBe(
      path.join(root, 'fastqc', 'beforeCutAdapt', 'R1_fastqc.html'),
    );
    expect(resolveInside(root, 'top.txt')).toBe(path.join(root, 'top.txt'));
    expect(resolveInside(root, 'fastqc/./beforeCutAdapt/../beforeCutAdapt')).toBe(
      path.join(root, 'fastqc', 'beforeCutAdapt'),
    );
    expect(resolveInside(root, 'alias.txt')).toBe(path.join(root, 'top.txt'));
    expect(resolveInside(root, '')).toBe(root);
  });

  it('refuses .. that leaves the workspace', () => {
    for (const rel of ['..', '../other/secret.txt', 'fastqc/../../other', 'a/../../run2']) {
      expect(() => resolveInside(root, rel)).toThrow(`Path ${rel} leaves the run's workspace`);
    }
  });

  it('refuses a sibling directory whose name extends the root', () => {
    fs.mkdirSync(`${root}-evil`, { recursive: true });
    expect(() => resolveInside(root, '../run-evil')).toThrow(ForbiddenPathError);
  });

  it('refuses absolute paths', () => {
    expect(() => resolveInside(root, '/etc/passwd')).toThrow(ForbiddenPathError);
    expect(() => resolveInside(root, path.join(outside, 'secret.txt'))).toThrow(ForbiddenPathError);
  });

  it('refuses symlinks pointing out, to a file or through a directory', () => {
    expect(() => resolveInside(root, 'leak.txt')).toThrow(
      "Path leak.txt points outside the run's workspace",
    );
    expect(() => resolveInside(root, 'leakdir')).toThrow(ForbiddenPathError);
    expect(() => resolveInside(root, 'leakdir/secret.txt')).toThrow(ForbiddenPathError);
    expect(() => resolveInside(root, 'etc/passwd')).toThrow(ForbiddenPathError);
  });

  it('refuses NUL bytes and reports missing files as not found', () => {
    expect(() => resolveInside(root, 'top.txt\0.html')).toThrow(ForbiddenPathError);
    expect(() => resolveInside(root, 'fastqc/none.html')).toThrow(NotFoundError);
  });

  it('works when the root itself is reached through a symlink', () => {
    const linkedRoot = path.join(tmp, 'run-link');
    fs.symlinkSync(root, linkedRoot);
    expect(resolveInside(linkedRoot, 'top.txt')).toBe(path.join(root, 'top.txt'));
    expect(() => resolveInside(linkedRoot, 'leak.txt')).toThrow(ForbiddenPathError);
  });
});
