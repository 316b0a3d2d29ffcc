import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { defaultParams, PARAM_BY_NAME, ParamDef } from './registry';
import {
  GENOME_NAME_PATTERN,
  IUPAC_PATTERN,
  RunMetaDto,
  RunParamsDto,
  swaggerSchemaOf,
} from './run-params.dto';

/** Property name → names of the failed constraints. */
async function failures(plain: Record<string, unknown>): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(RunParamsDto, plain));
  return Object.fromEntries(errors.map((e) => [e.property, Object.keys(e.constraints ?? {})]));
}

describe('RunParamsDto', () => {
  it('accepts an empty body and the complete defaults', async () => {
    expect(await failures({})).toEqual({});
    expect(await failures({ ...defaultParams() })).toEqual({});
  });

  it('applies the registry bounds to every numeric parameter', async () => {
    for (const def of PARAM_BY_NAME.values()) {
      if (def.kind !== 'real' && def.kind !== 'integer') continue;
      expect(await failures({ [def.name]: def.min })).toEqual({});
      expect(await failures({ [def.name]: def.max })).toEqual({});
      expect(await failures({ [def.name]: def.max + 1 })).toEqual({ [def.name]: ['max'] });
      expect(await failures({ [def.name]: def.min - 1 })).toEqual({ [def.name]: ['min'] });
    }
  });

  it('refuses fractions for integers and strings for numbers', async () => {
    expect(await failures({ r1_min_overlap: 5.5 })).toEqual({ r1_min_overlap: ['isInt'] });
    expect((await failures({ r1_error_rate: '0.2' })).r1_error_rate).toContain('isNumber');
    expect((await failures({ r1_error_rate: Number.NaN })).r1_error_rate).toContain('isNumber');
    expect((await failures({ r1_error_rate: Infinity })).r1_error_rate).toContain('isNumber');
  });

  it('checks booleans, enums, sequences and patterns', async () => {
    expect(await failures({ r1_anchored: 'true' })).toEqual({ r1_anchored: ['isBoolean'] });
    expect(await failures({ umi_read: 'R3' })).toEqual({ umi_read: ['isIn'] });
    expect(await failures({ umi_read: 'R2' })).toEqual({});
    expect(await failures({ r2_seq: 'ACGU' })).toEqual({});
    expect(await failures({ r2_seq: 'ACG-T' })).toEqual({ r2_seq: ['matches'] });
    expect(await failures({ r2_seq: 'A'.repeat(201) })).toEqual({ r2_seq: ['isLength'] });
    expect(await failures({ umi_pattern: 'NNN1' })).toEqual({ umi_pattern: ['matches'] });
  });

  it('allows null only where the default is null', async () => {
    expect(await failures({ genome: null, genome_tar_url: null })).toEqual({});
    expect(Object.keys(await failures({ r1_seq: null, qc_stage: null }))).toEqual([
      'r1_seq',
      'qc_stage',
    ]);
  });

  it('names the field in every message', async () => {
    const errors = await validate(
      plainToInstance(RunParamsDto, { qc_stage: 'x', r1_seq: 'Z', genome_tar_url: 'nope' }),
    );
    for (const e of errors) {
      for (const message of Object.values(e.constraints ?? {})) {
        expect(message.startsWith(e.property)).toBe(true);
      }
    }
    expect(errors.map((e) => e.property).sort()).toEqual(['genome_tar_url', 'qc_stage', 'r1_seq']);
  });
});

describe('RunMetaDto', () => {
  it('bounds the descriptive fields', async () => {
    const ok = await validate(plainToInstance(RunMetaDto, { name: 'n', description: 'd' }));
    expect(ok).toEqual([]);
    const bad = await validate(
      plainToInstance(RunMetaDto, { name: 'n'.repeat(201), created_by: 5 }),
    );
    expect(bad.map((e) => e.property).sort()).toEqual(['created_by', 'name']);
  });
});

describe('swaggerSchemaOf', () => {
  it('describes each kind from the registry', () => {
    const of = (name: string) => swaggerSchemaOf(PARAM_BY_NAME.get(name) as ParamDef);
    expect(of('r1_error_rate')).toMatchObject({ type: 'number', minimum: 0, maximum: 0.99 });
    expect(of('promoter_left')).toMatchObject({ type: 'integer', default: 5000 });
    expect(of('r1_pair_filter')).toMatchObject({ type: 'string', enum: ['any', 'both', 'first'] });
    expect(of('r1_seq')).toMatchObject({ pattern: IUPAC_PATTERN.source, maxLength: 200 });
    expect(of('genome')).toMatchObject({ pattern: GENOME_NAME_PATTERN.source, nullable: true });
    expect(of('genome').default).toBeUndefined();
  });
});
