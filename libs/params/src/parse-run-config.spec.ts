import { InvalidInputError } from '@qslam/common';
import {
  checkCrossFieldRules,
  coerceParamValue,
  flattenConfig,
  resolveRunConfig,
  validateMeta,
  validateParams,
} from './parse-run-config';
import { defaultParams, PARAM_BY_NAME, ParamDef } from './registry';

const def = (name: string) => PARAM_BY_NAME.get(name) as ParamDef;

/** Runs `fn`, expecting an InvalidInputError, and returns it for inspection. */
async function invalid(fn: () => unknown): Promise<InvalidInputError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return err as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError, nothing was thrown');
}

describe('coerceParamValue', () => {
  it('parses numbers written as form strings', () => {
    expect(coerceParamValue(def('r1_error_rate'), ' 0.25 ')).toBe(0.25);
    expect(coerceParamValue(def('r1_error_rate'), '.5')).toBe(0.5);
    expect(coerceParamValue(def('promoter_left'), '1e3')).toBe(1000);
    expect(coerceParamValue(def('r1_trim_leading_trailing'), '-7')).toBe(-7);
  });

  it('leaves what is not a number unchanged, for the validator to reject', () => {
    expect(coerceParamValue(def('promoter_left'), '12abc')).toBe('12abc');
    expect(coerceParamValue(def('promoter_left'), '0x10')).toBe('0x10');
    expect(coerceParamValue(def('promoter_left'), '')).toBe('');
  });

  it('reads the usual spellings of booleans', () => {
    for (const word of ['true', 'TRUE', '1', 'yes', 'On']) {
      expect([word, coerceParamValue(def('r1_anchored'), word)]).toEqual([word, true]);
    }
    for (const word of ['false', '0', 'no', 'OFF']) {
      expect([word, coerceParamValue(def('r1_anchored'), word)]).toEqual([word, false]);
    }
    expect(coerceParamValue(def('r1_anchored'), 'maybe')).toBe('maybe');
  });

  it('upper-cases sequences and patterns, and maps an empty genome or URL to null', () => {
    expect(coerceParamValue(def('r1_seq'), ' acgtn ')).toBe('ACGTN');
    expect(coerceParamValue(def('umi_pattern'), 'nnxnn')).toBe('NNXNN');
    expect(coerceParamValue(def('genome'), ' ')).toBeNull();
    expect(coerceParamValue(def('genome_tar_url'), '')).toBeNull();
    expect(coerceParamValue(def('genome'), ' hg38 ')).toBe('hg38');
    expect(coerceParamValue(def('qc_stage'), ' after ')).toBe('after');
  });

  it('passes JSON values (non-strings) through untouched', () => {
    expect(coerceParamValue(def('promoter_left'), 12)).toBe(12);
    expect(coerceParamValue(def('r1_anchored'), true)).toBe(true);
    expect(coerceParamValue(def('genome'), null)).toBeNull();
  });
});

describe('flattenConfig', () => {
  it('flattens a config grouped by step', () => {
    expect(
      flattenConfig({
        cutadapt: { r1_seq: 'ACGT', r2_error_rate: 0.2 },
        site_analysis: { promoter_left: 100 },
        qc: { qc_stage: 'both' },
      }),
    ).toEqual({ r1_seq: 'ACGT', r2_error_rate: 0.2, promoter_left: 100, qc_stage: 'both' });
  });

  it('accepts flat keys and mixes them with groups', () => {
    expect(flattenConfig({ genome: 'hg38', fastp: { fastp_cut_tail: false } })).toEqual({
      genome: 'hg38',
      fastp_cut_tail: false,
    });
  });

  it('rejects a parameter placed in the wrong group and unknown keys, naming all of them', async () => {
    const err = await invalid(() =>
      flattenConfig({ cutadapt: { promoter_left: 1 }, colour: 'red', qc: { qc_stage: 'after' } }),
    );
    expect(err.details).toEqual({ fields: ['config.cutadapt.promoter_left', 'config.colour'] });
    expect(err.message).toContain('config.cutadapt.promoter_left, config.colour');
  });

  it('rejects what is not a JSON object', async () => {
    for (const bad of [null, [], 'x', 3]) {
      const err = await invalid(() => flattenConfig(bad));
      expect(err.message).toBe('config must be a JSON object');
    }
    const err = await invalid(() => flattenConfig({ cutadapt: [1] }));
    expect(err.message).toBe('config.cutadapt must be an object of cutadapt parameters');
  });
});

describe('validateParams', () => {
  it('returns coerced values of a valid set', async () => {
    await expect(
      validateParams({ r1_error_rate: '0.2', r1_anchored: 'yes', r2_seq: 'acgtryswkmbdhvnu' }),
    ).resolves.toEqual({ r1_error_rate: 0.2, r1_anchored: true, r2_seq: 'ACGTRYSWKMBDHVNU' });
  });

  it('accepts the complete defaults', async () => {
    await expect(validateParams({ ...defaultParams() })).resolves.toEqual(defaultParams());
  });

  it('rejects numbers out of bounds and non-integers', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['r1_error_rate', 1, 'r1_error_rate must not be greater than 0.99'],
      ['r1_error_rate', -0.01, 'r1_error_rate must not be less than 0'],
      ['r1_min_overlap', 0, 'r1_min_overlap must not be less than 1'],
      ['promoter_left', 10_000_001, 'promoter_left must not be greater than 10000000'],
      ['fastp_qualified_quality', '61', 'fastp_qualified_quality must not be greater than 60'],
      ['r2_min_overlap', 2.5, 'r2_min_overlap must be an integer'],
      ['promoter_right', 'abc', 'promoter_right must be an integer'],
    ];
    for (const [name, value, message] of cases) {
      const err = await invalid(() => validateParams({ [name]: value }));
      expect((err.details as { fields: Record<string, string[]> }).fields[name]).toContain(message);
    }
  });

  it('rejects sequences with letters outside IUPAC', async () => {
    const err = await invalid(() => validateParams({ r1_seq: 'ACGTX', r2_seq: 'AC GT' }));
    const fields = (err.details as { fields: Record<string, string[]> }).fields;
    expect(Object.keys(fields).sort()).toEqual(['r1_seq', 'r2_seq']);
    expect(fields.r1_seq).toEqual([
      'r1_seq may contain only IUPAC nucleotide letters (ACGTURYSWKMBDHVN)',
    ]);
    await invalid(() => validateParams({ r1_seq: '' }));
    await invalid(() => validateParams({ r1_seq: 'A'.repeat(201) }));
  });

  it('rejects unknown enum values and UMI patterns without N', async () => {
    const err = await invalid(() => validateParams({ r1_pair_filter: 'all', qc_stage: 'during' }));
    expect(err.details).toEqual({
      fields: {
        r1_pair_filter: ['r1_pair_filter must be one of: any, both, first'],
        qc_stage: ['qc_stage must be one of: before, after, both'],
      },
    });
    await invalid(() => validateParams({ umi_pattern: 'XXXX' }));
    await invalid(() => validateParams({ umi_pattern: 'NNAN' }));
    await expect(validateParams({ umi_pattern: 'xnnnx' })).resolves.toEqual({
      umi_pattern: 'XNNNX',
    });
  });

  it('rejects unknown parameter names before validating values', async () => {
    const err = await invalid(() => validateParams({ r1_seq: 'ACGT', r3_seq: 'A', foo: 1 }));
    expect(err.message).toBe('Unknown parameter(s): r3_seq, foo');
    expect(err.details).toEqual({ fields: ['r3_seq', 'foo'] });
  });

  it('accepts null only for parameters whose default is null', async () => {
    await expect(validateParams({ genome: null, genome_tar_url: null })).resolves.toEqual({
      genome: null,
      genome_tar_url: null,
    });
    for (const name of ['promoter_left', 'r1_seq', 'umi_read', 'r1_anchored', 'r1_error_rate']) {
      const err = await invalid(() => validateParams({ [name]: null }));
      expect(Object.keys((err.details as { fields: object }).fields)).toEqual([name]);
    }
  });

  it('checks genome names and URLs', async () => {
    await expect(validateParams({ genome: 'GRCh38.p14' })).resolves.toEqual({
      genome: 'GRCh38.p14',
    });
    await invalid(() => validateParams({ genome: '../etc' }));
    await invalid(() => validateParams({ genome: '-hg38' }));
    await expect(
      validateParams({ genome_tar_url: 'http://localhost:8000/hg38.tar' }),
    ).resolves.toEqual({ genome_tar_url: 'http://localhost:8000/hg38.tar' });
    await invalid(() => validateParams({ genome_tar_url: 'ftp://example.org/x.tar' }));
    await invalid(() => validateParams({ genome_tar_url: 'example.org/x.tar' }));
  });
});

describe('checkCrossFieldRules', () => {
  it('requires enhancer_left >= promoter_left', async () => {
    expect(() =>
      checkCrossFieldRules({ ...defaultParams(), promoter_left: 100, enhancer_left: 100 }),
    ).not.toThrow();
    const err = await invalid(() =>
      checkCrossFieldRules({ ...defaultParams(), promoter_left: 100, enhancer_left: 99 }),
    );
    expect(Object.keys((err.details as { fields: object }).fields)).toEqual(['enhancer_left']);
    expect(err.message).toContain('enhancer_left (99) must be >= promoter_left (100)');
  });

  it('requires merge_distance <= max_merge_distance', async () => {
    expect(() =>
      checkCrossFieldRules({ ...defaultParams(), merge_distance: 10, max_merge_distance: 10 }),
    ).not.toThrow();
    const err = await invalid(() =>
      checkCrossFieldRules({ ...defaultParams(), merge_distance: 11, max_merge_distance: 10 }),
    );
    expect(Object.keys((err.details as { fields: object }).fields)).toEqual(['merge_distance']);
    expect(err.message).toContain('merge_distance (11) must be <= max_merge_distance (10)');
  });

  it('accepts an empty ltr_remainder and rejects other letters', async () => {
    await expect(validateParams({ ltr_remainder: '' })).resolves.toEqual({ ltr_remainder: '' });
    await expect(validateParams({ ltr_remainder: 'tagca' })).resolves.toEqual({
      ltr_remainder: 'TAGCA',
    });
    await invalid(() => validateParams({ ltr_remainder: 'TAGXA' }));
  });
});

describe('validateMeta', () => {
  it('accepts the descriptive fields and bounds their length', async () => {
    await expect(validateMeta({ name: 'exp 1', created_by: 'a@b.c' })).resolves.toEqual({
      name: 'exp 1',
      created_by: 'a@b.c',
    });
    await invalid(() => validateMeta({ name: 'x'.repeat(201) }));
  });
});

describe('resolveRunConfig', () => {
  it('gives the defaults when nothing is set', async () => {
    await expect(resolveRunConfig({})).resolves.toEqual({
      meta: {},
      params: defaultParams(),
      groupsGiven: [],
    });
  });

  it('merges form fields and a grouped config over the defaults', async () => {
    const resolved = await resolveRunConfig(
      { name: 'exp 7', r1_error_rate: '0.2', genome: 'hg38' },
      { site_analysis: { promoter_left: 1000, enhancer_left: 2000 } },
    );
    expect(resolved.meta).toEqual({ name: 'exp 7' });
    expect(resolved.params).toEqual({
      ...defaultParams(),
      r1_error_rate: 0.2,
      genome: 'hg38',
      promoter_left: 1000,
      enhancer_left: 2000,
    });
    expect(resolved.groupsGiven.sort()).toEqual(['cutadapt', 'read_mapping', 'site_analysis']);
  });

  it('accepts the same value given both ways, once coerced', async () => {
    const resolved = await resolveRunConfig({ promoter_left: '4000' }, { promoter_left: 4000 });
    expect(resolved.params.promoter_left).toBe(4000);
  });

  it('refuses a parameter given both ways with different values', async () => {
    const err = await invalid(() =>
      resolveRunConfig({ promoter_left: '4000' }, { site_analysis: { promoter_left: 3000 } }),
    );
    expect(err.details).toEqual({ field: 'promoter_left' });
  });

  it('refuses unknown form fields', async () => {
    const err = await invalid(() => resolveRunConfig({ name: 'x', colour: 'red' }));
    expect(err.message).toBe('Unknown form field(s): colour');
  });

  it('applies the cross-field rule against defaults too', async () => {
    // enhancer_left defaults to 50000: a promoter_left above it breaks the rule.
    const err = await invalid(() => resolveRunConfig({ promoter_left: '60000' }));
    expect(err.message).toContain('enhancer_left (50000) must be >= promoter_left (60000)');
  });
});
