import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultParams } from '@qslam/params';
import type { Job, Run } from '@qslam/db';
import { MissingInputError, ResolvedGenome } from '../step-definition';
import { RunWorkspace } from '../workspace';
import {
  mappingInput,
  readsCarryUmi,
  readTopSites,
  siteAnalysisCommand,
  siteAnalysisStep,
} from './site-analysis.step';

const RUN_ID = '0b8f3c1e-2d4a-4c6b-9e8f-1a2b3c4d5e6f';
const run = (over: Partial<Run> = {}): Run =>
  ({ id: RUN_ID, name: 'n', ...defaultParams(), ...over }) as Run;
const genome = (over: Partial<ResolvedGenome> = {}): ResolvedGenome => ({
  name: 'demo',
  dir: '/ref/demo',
  fasta: '/ref/demo/genome.fa',
  indexKind: 'bwa',
  indexPrefix: '/ref/demo/genome.fa',
  annotation: '/ref/demo/genes.gtf',
  vectorContigs: ['vector'],
  ...over,
});
const jobs = (...rows: Array<[string, Job['status']]>) =>
  rows.map(([step, status], i) => ({ id: i + 1, step_name: step, status }) as Job);

describe('site_analysis command line', () => {
  it('passes every site_analysis parameter of the run to the engine', () => {
    const [stage] = siteAnalysisCommand({
      bam: '/ws/bwa/aligned.sorted.bam',
      outDir: '/ws/.staging/7',
      run: run({ min_mapq: 30, merge_distance: 3, ltr_remainder: '' }),
      genome: genome({ vectorContigs: ['vec1', 'vec2'] }),
      umi: true,
      knownSites: '/ws/rawdata/known_sites.bed',
      threads: 2,
    });
    const argv = stage.argv;
    const flag = (name: string) => argv[argv.indexOf(name) + 1];
    expect(argv.some((a) => a.includes('sites/src/site-cli'))).toBe(true);
    expect(flag('--bam')).toBe('/ws/bwa/aligned.sorted.bam');
    expect(flag('--out-dir')).toBe('/ws/.staging/7');
    expect(flag('--min-mapq')).toBe('30');
    expect(flag('--max-leading-clip')).toBe('6');
    expect(flag('--ltr-remainder')).toBe('');
    expect(flag('--merge-distance')).toBe('3');
    expect(flag('--max-merge-distance')).toBe('10');
    expect(flag('--min-fragments')).toBe('1');
    expect(flag('--min-reads')).toBe('5');
    expect(flag('--promoter-left')).toBe('5000');
    expect(flag('--promoter-right')).toBe('2000');
    expect(flag('--enhancer-left')).toBe('50000');
    expect(flag('--annotation')).toBe('/ref/demo/genes.gtf');
    expect(flag('--known-sites')).toBe('/ws/rawdata/known_sites.bed');
    expect(argv.filter((a, i) => argv[i - 1] === '--vector-contig')).toEqual(['vec1', 'vec2']);
    expect(argv).toContain('--umi');
  });

  it('leaves out what the run does not have and defaults the vector contig', () => {
    const [{ argv }] = siteAnalysisCommand({
      bam: 'b',
      outDir: 'o',
      run: run(),
      genome: genome({ annotation: null, vectorContigs: [] }),
      umi: false,
      knownSites: null,
      threads: 1,
    });
    expect(argv).not.toContain('--annotation');
    expect(argv).not.toContain('--known-sites');
    expect(argv).not.toContain('--umi');
    expect(argv[argv.indexOf('--vector-contig') + 1]).toBe('vector');
  });
});

describe('site_analysis inputs', () => {
  let root: string;
  let ws: RunWorkspace;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-step-'));
    ws = new RunWorkspace(root, RUN_ID);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses to start without a read_mapping BAM, naming the step that makes it', () => {
    expect(() => mappingInput(ws, jobs(['umi', 'completed']))).toThrow(MissingInputError);
    expect(() => mappingInput(ws, [])).toThrow('run read_mapping first');
    // a completed mapping whose outputs were cleaned
    expect(() => mappingInput(ws, jobs(['read_mapping', 'completed']))).toThrow('clean');
  });

  it('reads the BAM of the latest completed read_mapping job', () => {
    fs.mkdirSync(ws.path('bwa'), { recursive: true });
    fs.writeFileSync(ws.path('bwa', 'aligned.sorted.bam'), 'x');
    const history = jobs(['read_mapping', 'completed'], ['read_mapping', 'failed']);
    expect(mappingInput(ws, history)).toEqual({
      rel: { bam: 'bwa/aligned.sorted.bam', bai: 'bwa/aligned.sorted.bam.bai' },
      producer: 'read_mapping',
      producerJobId: 1,
    });
    const plan = siteAnalysisStep.plan(
      { run: run(), workspace: ws, variant: null, threads: 1, history, genome: genome() },
      '/staging',
    );
    expect(plan.outputs).toEqual(['bam2bed', 'bed2peak']);
  });

  it('counts UMIs only when the umi step ran before the mapping', () => {
    const r = run({ umi_read: 'R2' });
    expect(readsCarryUmi(r, jobs(['umi', 'completed'], ['read_mapping', 'completed']))).toBe(true);
    expect(readsCarryUmi(r, jobs(['read_mapping', 'completed'], ['umi', 'completed']))).toBe(false);
    expect(readsCarryUmi(r, jobs(['umi', 'failed'], ['read_mapping', 'completed']))).toBe(false);
    expect(readsCarryUmi(run(), jobs(['umi', 'completed'], ['read_mapping', 'completed']))).toBe(
      false,
    );
  });

  it('reads the top sites of a TSV with typed cells', () => {
    const file = path.join(root, 'sites.tsv');
    fs.writeFileSync(
      file,
      'chrom\tposition\tstrand\tumis\tgene\n1\t100\t+\t\tSOX2,MYC\nchr2\t7\t-\t3\t\n',
    );
    expect(readTopSites(file, 1)).toEqual([
      { chrom: '1', position: 100, strand: '+', umis: null, gene: 'SOX2,MYC' },
    ]);
  });
});
