/**
 * TypeORM entities for the spec's `runs` and `jobs` tables.
 *
 * `runs` is an EntitySchema assembled from the parameter registry: the descriptive columns of
 * the spec plus one column per registry entry, so a new parameter needs no edit here. `jobs`
 * mirrors the spec column for column and adds the job engine's bookkeeping columns (see
 * migrations/1732500000001-job-engine-columns.ts for why each exists).
 */
import { EntitySchema, EntitySchemaColumnOptions } from 'typeorm';
import { PARAMS, ParamDef, RunParams, columnDefaultOf, sqlTypeOf } from '@qslam/params';
import type { JobStatus, RunStatus } from './state';
import { GenomeEntity, GenomeJobEntity } from './genome-entities';

export interface RunBase {
  id: string;
  name: string | null;
  description: string | null;
  status: RunStatus;
  current_step: string | null;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
}
export type Run = RunBase & RunParams;

export interface Job {
  id: number;
  run_id: string;
  step_name: string;
  status: JobStatus;
  pgid: number | null;
  started_at: Date | null;
  completed_at: Date | null;
  log_file: string | null;
  error_message: string | null;
  /** Step variant chosen when the job was started, e.g. the qc stage `before|after|both`. */
  variant: string | null;
  /** `host:pid` of the worker process that launched or adopted the job's tool. */
  worker_id: string | null;
  exit_code: number | null;
  /** Set by `DELETE /runs/{id}/kill`; the worker that owns the job carries it out. */
  kill_requested_at: Date | null;
}

const TYPEORM_TYPE = {
  TEXT: 'text',
  REAL: 'real',
  INTEGER: 'integer',
  BOOLEAN: 'boolean',
} as const;

function paramColumn(def: ParamDef): EntitySchemaColumnOptions {
  const fallback = columnDefaultOf(def);
  return {
    type: TYPEORM_TYPE[sqlTypeOf(def)],
    nullable: true,
    ...(fallback === null ? {} : { default: fallback }),
  };
}

const paramColumns = Object.fromEntries(
  (PARAMS as readonly ParamDef[]).map((def) => [def.name, paramColumn(def)]),
);

export const RunEntity = new EntitySchema<Run>({
  name: 'Run',
  tableName: 'runs',
  columns: {
    id: { type: 'text', primary: true },
    name: { type: 'text', nullable: true },
    description: { type: 'text', nullable: true },
    status: { type: 'text', default: 'pending' },
    current_step: { type: 'text', nullable: true },
    created_at: { type: 'datetime', createDate: true },
    updated_at: { type: 'datetime', updateDate: true },
    created_by: { type: 'text', nullable: true },
    ...paramColumns,
  } as Record<keyof Run, EntitySchemaColumnOptions>,
});

export const JobEntity = new EntitySchema<Job>({
  name: 'Job',
  tableName: 'jobs',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    run_id: { type: 'text' },
    step_name: { type: 'text' },
    status: { type: 'text', default: 'pending' },
    pgid: { type: 'integer', nullable: true },
    started_at: { type: 'datetime', nullable: true },
    completed_at: { type: 'datetime', nullable: true },
    log_file: { type: 'text', nullable: true },
    error_message: { type: 'text', nullable: true },
    variant: { type: 'text', nullable: true },
    worker_id: { type: 'text', nullable: true },
    exit_code: { type: 'integer', nullable: true },
    kill_requested_at: { type: 'datetime', nullable: true },
  },
  relations: {},
});

/** One input or output file of a job (migrations/1732500000002-preprocessing.ts). */
export interface JobFile {
  id: number;
  job_id: number;
  role: 'input' | 'output';
  /** Relative to the run's workspace. */
  path: string;
  size: number | null;
  producer_job_id: number | null;
  producer_step: string | null;
}

export const JobFileEntity = new EntitySchema<JobFile>({
  name: 'JobFile',
  tableName: 'job_files',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    job_id: { type: 'integer' },
    role: { type: 'text' },
    path: { type: 'text' },
    size: { type: 'integer', nullable: true },
    producer_job_id: { type: 'integer', nullable: true },
    producer_step: { type: 'text', nullable: true },
  },
});

export const ENTITIES = [RunEntity, JobEntity, JobFileEntity, GenomeEntity, GenomeJobEntity];
