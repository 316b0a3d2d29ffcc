/**
 * Turns what a client sent into validated run parameters.
 *
 * Clients send parameters in three shapes, all accepted: individual multipart form fields
 * (strings, as in the spec's curl example), a `config` JSON string grouped by step
 * (`{"cutadapt": {"r1_seq": ...}}`, as in the spec's testing example) or flat, and the JSON body
 * of an export file. All shapes are flattened, coerced from strings where needed, validated
 * with the registry-generated DTO, and checked across fields. Every problem is reported at once,
 * each naming its field.
 */
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { InvalidInputError } from '@qslam/common';
import {
  defaultParams,
  PARAM_BY_NAME,
  PARAM_GROUPS,
  ParamDef,
  ParamGroup,
  RunParams,
} from './registry';
import { RunMetaDto, RunParamsDto } from './run-params.dto';

export const META_FIELDS = ['name', 'description', 'created_by'] as const;
export type RunMeta = Partial<Record<(typeof META_FIELDS)[number], string>>;

const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** Converts a form string into the parameter's type; leaves it unchanged when it does not parse. */
export function coerceParamValue(def: ParamDef, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const text = raw.trim();
  switch (def.kind) {
    case 'real':
    case 'integer':
      return NUMBER_PATTERN.test(text) ? Number(text) : raw;
    case 'boolean': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return raw;
    }
    case 'sequence':
    case 'pattern':
      return text.toUpperCase();
    case 'genome':
    case 'url':
      return text === '' ? null : text;
    default:
      return text;
  }
}

/** Flattens a `config` object whose keys are parameter names or step groups of parameters. */
export function flattenConfig(config: unknown, where = 'config'): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidInputError(`${where} must be a JSON object`, { field: where });
  }
  const flat: Record<string, unknown> = {};
  const unknownKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if ((PARAM_GROUPS as readonly string[]).includes(key)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new InvalidInputError(`${where}.${key} must be an object of ${key} parameters`);
      }
      for (const [name, inner] of Object.entries(value)) {
        if (PARAM_BY_NAME.get(name)?.group !== (key as ParamGroup)) {
          unknownKeys.push(`${where}.${key}.${name}`);
        } else flat[name] = inner;
      }
    } else if (PARAM_BY_NAME.has(key)) flat[key] = value;
    else unknownKeys.push(`${where}.${key}`);
  }
  if (unknownKeys.length > 0) {
    throw new InvalidInputError(`Unknown configuration field(s): ${unknownKeys.join(', ')}`, {
      fields: unknownKeys,
    });
  }
  return flat;
}

function flattenErrors(errors: ValidationError[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) out[e.property] = Object.values(e.constraints ?? {});
  return out;
}

function throwIfInvalid(fields: Record<string, string[]>): void {
  const names = Object.keys(fields);
  if (names.length === 0) return;
  const message = names.map((n) => fields[n].join('; ')).join('; ');
  throw new InvalidInputError(`Invalid run configuration: ${message}`, { fields });
}

/** Validates parameters given explicitly (already flattened); unknown names are errors. */
export async function validateParams(given: Record<string, unknown>): Promise<Partial<RunParams>> {
  const coerced: Record<string, unknown> = {};
  const unknownNames = Object.keys(given).filter((k) => !PARAM_BY_NAME.has(k));
  if (unknownNames.length > 0) {
    throw new InvalidInputError(`Unknown parameter(s): ${unknownNames.join(', ')}`, {
      fields: unknownNames,
    });
  }
  for (const [name, raw] of Object.entries(given)) {
    coerced[name] = coerceParamValue(PARAM_BY_NAME.get(name) as ParamDef, raw);
  }
  const dto = plainToInstance(RunParamsDto, coerced);
  throwIfInvalid(flattenErrors(await validate(dto, { forbidUnknownValues: false })));
  return coerced as Partial<RunParams>;
}

/** Rules that involve more than one parameter, checked on the complete set. */
export function checkCrossFieldRules(params: RunParams): void {
  const fields: Record<string, string[]> = {};
  if (params.enhancer_left < params.promoter_left) {
    fields.enhancer_left = [
      `enhancer_left (${params.enhancer_left}) must be >= promoter_left (${params.promoter_left}): the enhancer region lies upstream of the promoter`,
    ];
  }
  if (params.merge_distance > params.max_merge_distance) {
    fields.merge_distance = [
      `merge_distance (${params.merge_distance}) must be <= max_merge_distance (${params.max_merge_distance}): the primary table is one of the tables reported`,
    ];
  }
  throwIfInvalid(fields);
}

export async function validateMeta(meta: Record<string, unknown>): Promise<RunMeta> {
  const dto = plainToInstance(RunMetaDto, meta);
  throwIfInvalid(flattenErrors(await validate(dto)));
  return meta as RunMeta;
}

export interface ResolvedRunConfig {
  meta: RunMeta;
  params: RunParams;
  /** Step groups for which the client set at least one parameter explicitly. */
  groupsGiven: ParamGroup[];
}

/**
 * Builds the full configuration of a new run from form fields and/or a `config` object:
 * defaults, then explicit values; a parameter given both ways with different values is an error.
 */
export async function resolveRunConfig(
  fields: Record<string, string>,
  config?: unknown,
): Promise<ResolvedRunConfig> {
  const meta: Record<string, unknown> = {};
  const explicit: Record<string, unknown> = {};
  const unknownFields: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if ((META_FIELDS as readonly string[]).includes(key)) meta[key] = value;
    else if (PARAM_BY_NAME.has(key)) explicit[key] = value;
    else unknownFields.push(key);
  }
  if (unknownFields.length > 0) {
    throw new InvalidInputError(`Unknown form field(s): ${unknownFields.join(', ')}`, {
      fields: unknownFields,
    });
  }
  const fromConfig = config === undefined ? {} : flattenConfig(config);
  const fromForm = await validateParams(explicit);
  const fromJson = await validateParams(fromConfig);
  for (const name of Object.keys(fromJson)) {
    const a = (fromForm as Record<string, unknown>)[name];
    if (a !== undefined && a !== (fromJson as Record<string, unknown>)[name]) {
      throw new InvalidInputError(`${name} was given both as a form field and in config`, {
        field: name,
      });
    }
  }
  const params = { ...defaultParams(), ...fromJson, ...fromForm } as RunParams;
  checkCrossFieldRules(params);
  const groups = new Set<ParamGroup>();
  for (const name of [...Object.keys(fromForm), ...Object.keys(fromJson)]) {
    groups.add((PARAM_BY_NAME.get(name) as ParamDef).group);
  }
  return { meta: await validateMeta(meta), params, groupsGiven: [...groups] };
}
