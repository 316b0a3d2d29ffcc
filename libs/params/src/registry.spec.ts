import {
  columnDefaultOf,
  defaultParams,
  PARAM_BY_NAME,
  PARAM_GROUPS,
  ParamDef,
  PARAMS,
  paramsOfGroup,
  sqlTypeOf,
} from './registry';

const ALL = PARAMS as readonly ParamDef[];
const def = (name: string): ParamDef => {
  const found = PARAM_BY_NAME.get(name);
  if (!found) throw new Error(`no parameter ${name}`);
  return found;
};

describe('parameter registry', () => {
  it('defines each parameter once, in a known group', () => {
    const names = ALL.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(PARAM_BY_NAME.size).toBe(names.length);
    for (const p of ALL) expect(PARAM_GROUPS).toContain(p.group);
  });

  it('holds the spec columns and the preprocessing parameters', () => {
    expect(ALL.map((p) => p.name).sort()).toEqual(
      [
        'umi_read',
        'umi_pattern',
        'r1_seq',
        'r1_error_rate',
        'r1_trim_leading_trailing',
        'r1_anchored',
        'r1_min_overlap',
        'r1_pair_filter',
        'r1_minimum_length_of_read',
        'r2_seq',
        'r2_error_rate',
        'r2_trim_leading_trailing',
        'r2_anchored',
        'r2_min_overlap',
        'r2_pair_filter',
        'r2_minimum_length_of_read',
        'r1_discard_untrimmed',
        'fastp_qualified_quality',
        'fastp_length_required',
        'fastp_cut_tail',
        'genome',
        'genome_tar_url',
        'promoter_left',
        'promoter_right',
        'enhancer_left',
        'min_mapq',
        'max_leading_clip',
        'ltr_remainder',
        'merge_distance',
        'max_merge_distance',
        'min_fragments',
        'min_reads',
        'qc_stage',
      ].sort(),
    );
  });

  it('has every default inside its own bounds, enum values and pattern', () => {
    for (const p of ALL) {
      switch (p.kind) {
        case 'real':
        case 'integer':
          expect([p.name, p.min <= p.default && p.default <= p.max]).toEqual([p.name, true]);
          if (p.kind === 'integer') expect(Number.isInteger(p.default)).toBe(true);
          break;
        case 'enum':
          expect(p.values).toContain(p.default);
          break;
        case 'pattern':
          expect(p.pattern.test(p.default)).toBe(true);
          expect(p.default.length).toBeLessThanOrEqual(p.maxLength);
          break;
        case 'sequence':
          expect(p.default).toMatch(/^[ACGT]+$/);
          break;
        default:
          expect(p.default === null || typeof p.default === 'boolean').toBe(true);
      }
    }
  });

  it('gives the spec defaults', () => {
    const d = defaultParams();
    expect(d).toMatchObject({
      r1_seq: 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC',
      r2_seq: 'GACTGCGTATCAGT',
      r1_error_rate: 0.3,
      r2_error_rate: 0.1,
      r1_min_overlap: 5,
      r2_min_overlap: 10,
      r1_pair_filter: 'both',
      r1_anchored: false,
      r1_minimum_length_of_read: 30,
      r1_discard_untrimmed: true,
      umi_read: 'none',
      umi_pattern: 'NNNNNNNNNN',
      genome: null,
      genome_tar_url: null,
      promoter_left: 5000,
      promoter_right: 2000,
      enhancer_left: 50000,
      qc_stage: 'before',
      fastp_qualified_quality: 15,
      fastp_length_required: 30,
      fastp_cut_tail: true,
    });
    expect(Object.keys(d)).toHaveLength(ALL.length);
  });

  it('returns a fresh defaults object each time', () => {
    const a = defaultParams();
    a.promoter_left = 1;
    expect(defaultParams().promoter_left).toBe(5000);
  });

  it('lists the parameters of a group in registry order', () => {
    expect(paramsOfGroup('site_analysis').map((p) => p.name)).toEqual([
      'promoter_left',
      'promoter_right',
      'enhancer_left',
      'min_mapq',
      'max_leading_clip',
      'ltr_remainder',
      'merge_distance',
      'max_merge_distance',
      'min_fragments',
      'min_reads',
    ]);
    expect(paramsOfGroup('qc').map((p) => p.name)).toEqual(['qc_stage']);
    expect(paramsOfGroup('cutadapt')).toHaveLength(15);
    const total = PARAM_GROUPS.reduce((n, g) => n + paramsOfGroup(g).length, 0);
    expect(total).toBe(ALL.length);
  });

  it('maps kinds to the SQL types of the spec schema', () => {
    expect(sqlTypeOf(def('r1_error_rate'))).toBe('REAL');
    expect(sqlTypeOf(def('r1_min_overlap'))).toBe('INTEGER');
    expect(sqlTypeOf(def('r1_anchored'))).toBe('BOOLEAN');
    for (const name of ['r1_seq', 'r1_pair_filter', 'genome', 'genome_tar_url', 'umi_pattern']) {
      expect([name, sqlTypeOf(def(name))]).toEqual([name, 'TEXT']);
    }
  });

  it('leaves the sequence columns without an SQL default, as the spec does', () => {
    expect(columnDefaultOf(def('r1_seq'))).toBeNull();
    expect(columnDefaultOf(def('r2_seq'))).toBeNull();
    expect(columnDefaultOf(def('genome'))).toBeNull();
    expect(columnDefaultOf(def('r2_error_rate'))).toBe(0.1);
    expect(columnDefaultOf(def('r2_anchored'))).toBe(false);
    expect(columnDefaultOf(def('qc_stage'))).toBe('before');
  });
});
