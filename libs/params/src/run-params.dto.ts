/**
 * class-validator / Swagger DTOs generated from the parameter registry.
 *
 * `RunParamsDto` has one decorated property per registry entry; the decorators are applied in a
 * loop below instead of being written by hand, so validation bounds, enum values and Swagger
 * text can never disagree with the registry. `RunMetaDto` holds the descriptive fields.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PARAMS, ParamDef, RunParams } from './registry';

/** IUPAC nucleotide codes, the only letters cutadapt accepts in an adapter besides wildcards. */
export const IUPAC_PATTERN = /^[ACGTURYSWKMBDHVN]+$/i;
export const GENOME_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class RunMetaDto {
  @ApiPropertyOptional({ description: 'User-friendly run name', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Optional free-text description', maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ description: 'User identifier, e.g. an e-mail address', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  created_by?: string;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RunParamsDto {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface RunParamsDto extends Partial<RunParams> {}

type PropertyDecoratorFn = (target: object, key: string) => void;

function validatorsFor(def: ParamDef): PropertyDecoratorFn[] {
  const n = def.name;
  switch (def.kind) {
    case 'real':
      return [
        IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${n} must be a number` }),
        Min(def.min),
        Max(def.max),
      ];
    case 'integer':
      return [IsInt({ message: `${n} must be an integer` }), Min(def.min), Max(def.max)];
    case 'boolean':
      return [IsBoolean({ message: `${n} must be true or false` })];
    case 'enum':
      return [IsIn([...def.values], { message: `${n} must be one of: ${def.values.join(', ')}` })];
    case 'sequence':
      return [
        IsString(),
        Length(1, def.maxLength),
        Matches(IUPAC_PATTERN, {
          message: `${n} may contain only IUPAC nucleotide letters (ACGTURYSWKMBDHVN)`,
        }),
      ];
    case 'genome':
      return [
        IsString(),
        Matches(GENOME_NAME_PATTERN, {
          message: `${n} must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit)`,
        }),
      ];
    case 'pattern':
      return [
        IsString(),
        // The pattern itself says whether an empty value is allowed.
        Length(0, def.maxLength),
        Matches(def.pattern, { message: `${n} may contain only ${def.rule}` }),
      ];
    case 'url':
      return [
        IsUrl(
          { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
          { message: `${n} must be an http(s) URL` },
        ),
        MaxLength(2048),
      ];
  }
}

/** Swagger schema fragment of one parameter, shared by the DTO and the multipart body schema. */
export function swaggerSchemaOf(def: ParamDef): Record<string, unknown> {
  const base = { description: def.help, default: def.default ?? undefined };
  switch (def.kind) {
    case 'real':
      return { ...base, type: 'number', minimum: def.min, maximum: def.max };
    case 'integer':
      return { ...base, type: 'integer', minimum: def.min, maximum: def.max };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'enum':
      return { ...base, type: 'string', enum: [...def.values] };
    case 'sequence':
      return { ...base, type: 'string', pattern: IUPAC_PATTERN.source, maxLength: def.maxLength };
    case 'genome':
      return { ...base, type: 'string', pattern: GENOME_NAME_PATTERN.source, nullable: true };
    case 'url':
      return { ...base, type: 'string', format: 'uri', nullable: true };
    case 'pattern':
      return { ...base, type: 'string', pattern: def.pattern.source, maxLength: def.maxLength };
  }
}

/**
 * Every parameter may be left out (it then takes its default), but only those whose default is
 * null (genome, genome_tar_url) may be sent as null: `IsOptional` would also let
 * `"promoter_left": null` through and store a run without a value the steps need.
 */
function presenceRule(def: ParamDef): PropertyDecoratorFn {
  return def.default === null ? IsOptional() : ValidateIf((_dto, value) => value !== undefined);
}

for (const def of PARAMS as readonly ParamDef[]) {
  const proto = RunParamsDto.prototype as object;
  presenceRule(def)(proto, def.name);
  for (const decorate of validatorsFor(def)) decorate(proto, def.name);
  ApiPropertyOptional(swaggerSchemaOf(def))(proto, def.name);
}
