import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Job } from '@qslam/db';
import {
  CHAIN,
  ChainLink,
  chainInput,
  ChainPosition,
  ChainStep,
  staleSteps,
  upstreamSource,
  upstreamSteps,
} from './chain';
import { MissingInputError } from './step-definition';
import { RunWorkspace } from './workspace';

type LinkState = 'never' | 'completed' | 'cleaned' | 'failed' | 'killed';
const STATES: LinkState[] = ['never', 'completed', 'cleaned', 'failed', 'killed'];
const POSITIONS: ChainPosition[] = ['umi', 'cutadapt', 'fastp', 'end'];

function link(step: ChainStep, state: LinkState, id: number): ChainLink {
  if (state === 'never') return { step, latest: null, outputsExist: false };
  const status = state === 'cleaned' ? 'completed' : state;
  // A failed or killed re-run leaves the previous good outputs in place (outputsExist true).
  return { step, latest: { id, status }, outputsExist: state !== 'cleaned' };
}

describe('upstreamSource', () => {
  it('follows the examples of the issue', () => {
    const all = (s: [LinkState, LinkState, LinkState]) =>
      CHAIN.map((c, i) => link(c.step, s[i], i + 2));
    // Nothing run: everything reads the raw upload.
    expect(upstreamSource('end', all(['never', 'never', 'never']))).toBeNull();
    // cutadapt then fastp: mapping reads fastp, fastp reads cutadapt, cutadapt reads raw.
    const cf = all(['never', 'completed', 'completed']);
    expect(upstreamSource('end', cf)?.step).toBe('fastp');
    expect(upstreamSource('fastp', cf)?.step).toBe('cutadapt');
    expect(upstreamSource('cutadapt', cf)).toBeNull();
    // fastp cleaned away: mapping falls back to cutadapt.
    expect(upstreamSource('end', all(['never', 'completed', 'cleaned']))?.step).toBe('cutadapt');
    // latest fastp failed: its old outputs are not used; cutadapt is.
    expect(upstreamSource('end', all(['never', 'completed', 'failed']))?.step).toBe('cutadapt');
    // umi only, skipping cutadapt and fastp.
    expect(upstreamSource('end', all(['completed', 'never', 'never']))?.step).toBe('umi');
    expect(upstreamSource('umi', all(['completed', 'completed', 'completed']))).toBeNull();
  });

  it('picks the nearest upstream completed step with outputs, for every combination', () => {
    let cases = 0;
    for (const a of STATES) {
      for (const b of STATES) {
        for (const c of STATES) {
          const states = [a, b, c];
          const links = CHAIN.map((ch, i) => link(ch.step, states[i], i + 2));
          for (const position of POSITIONS) {
            const end = position === 'end' ? 3 : CHAIN.findIndex((ch) => ch.step === position);
            let expected: string | null = null;
            for (let i = end - 1; i >= 0 && expected === null; i--) {
              if (states[i] === 'completed') expected = CHAIN[i].step;
            }
            expect([
              states.join(','),
              position,
              upstreamSource(position, links)?.step ?? null,
            ]).toEqual([states.join(','), position, expected]);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(5 * 5 * 5 * 4);
  });
});

describe('chainInput on a real workspace', () => {
  let root: string;
  let ws: RunWorkspace;
  const id = '7d3c6a4e-1f2b-4c3d-8e9f-0a1b2c3d4e5f';
  let nextId = 1;
  const job = (step: string, status: Job['status'] = 'completed'): Job =>
    ({ id: nextId++, run_id: id, step_name: step, status, variant: null }) as Job;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'chain-'));
    ws = new RunWorkspace(root, id);
    fs.mkdirSync(ws.root, { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const writePair = (dir: string) => {
    fs.mkdirSync(ws.path(dir), { recursive: true });
    for (const r of ['R1', 'R2']) fs.writeFileSync(ws.path(dir, `${r}.fastq.gz`), 'x');
  };

  it('names the missing raw reads and who produces them', () => {
    expect(() => chainInput(ws, [], 'end')).toThrow(MissingInputError);
    expect(() => chainInput(ws, [], 'end')).toThrow(/rawdata\/R1\.fastq\.gz.*POST \/runs/);
  });

  it('resolves raw → cutadapt → fastp with the producing job ids, and falls back after a clean', () => {
    writePair('rawdata');
    const upload = job('upload');
    expect(chainInput(ws, [upload], 'end')).toMatchObject({
      producer: 'upload',
      producerJobId: upload.id,
      rel: { r1: 'rawdata/R1.fastq.gz', r2: 'rawdata/R2.fastq.gz' },
      r1: ws.path('rawdata/R1.fastq.gz'),
    });
    const cut = job('cutadapt');
    writePair('cutPrimer');
    const fastp = job('fastp');
    writePair('fastp');
    const history = [upload, cut, fastp];
    expect(chainInput(ws, history, 'end')).toMatchObject({
      producer: 'fastp',
      producerJobId: fastp.id,
    });
    expect(chainInput(ws, history, 'fastp')).toMatchObject({
      producer: 'cutadapt',
      producerJobId: cut.id,
      rel: { r1: 'cutPrimer/R1.fastq.gz' },
    });
    fs.rmSync(ws.path('fastp'), { recursive: true });
    expect(chainInput(ws, history, 'end').producer).toBe('cutadapt');
    fs.rmSync(ws.path('cutPrimer', 'R2.fastq.gz'));
    expect(chainInput(ws, history, 'end').producer).toBe('upload');
  });
});

describe('staleSteps', () => {
  const history = (...steps: [string, Job['status']?, string?][]): Job[] =>
    steps.map(
      ([step, status, variant], i) =>
        ({
          id: i + 1,
          step_name: step,
          status: status ?? 'completed',
          variant: variant ?? null,
        }) as Job,
    );
  const upstream = (step: string, variant: string | null): readonly string[] => {
    if (step === 'qc') return variant === 'after' || variant === 'both' ? upstreamSteps('end') : [];
    if (step === 'readlen' || step === 'read_mapping') return upstreamSteps('end');
    if (step === 'umi' || step === 'cutadapt' || step === 'fastp') return upstreamSteps(step);
    return [];
  };

  it('marks a step stale when an upstream step completed after it, and clears it on re-run', () => {
    const h = history(['upload'], ['cutadapt'], ['fastp'], ['readlen'], ['cutadapt']);
    expect(staleSteps(h, upstream)).toEqual([
      { step: 'fastp', job_id: 3, newer_step: 'cutadapt', newer_job_id: 5 },
      { step: 'readlen', job_id: 4, newer_step: 'cutadapt', newer_job_id: 5 },
    ]);
    const rerun = history(
      ['upload'],
      ['cutadapt'],
      ['fastp'],
      ['readlen'],
      ['cutadapt'],
      ['fastp'],
    );
    expect(staleSteps(rerun, upstream)).toEqual([
      { step: 'readlen', job_id: 4, newer_step: 'fastp', newer_job_id: 6 },
    ]);
    const fresh = [...rerun, ...history(['readlen']).map((j) => ({ ...j, id: 7 }))];
    expect(staleSteps(fresh, upstream)).toEqual([]);
  });

  it('ignores failed upstream attempts, downstream steps and qc on raw reads', () => {
    const h = history(
      ['cutadapt'],
      ['qc', 'completed', 'before'],
      ['fastp'],
      ['cutadapt', 'failed'],
      ['umi', 'killed'],
    );
    expect(staleSteps(h, upstream)).toEqual([]);
    const after = history(['qc', 'completed', 'after'], ['umi']);
    expect(staleSteps(after, upstream)).toEqual([
      { step: 'qc', job_id: 1, newer_step: 'umi', newer_job_id: 2 },
    ]);
  });
});
