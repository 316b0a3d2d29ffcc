/**
 * Creating runs: by upload (`POST /runs`) and by import (`POST /runs/import`).
 *
 * An upload is received into `runs/.incoming/{id}/`, validated completely (parameters, then the
 * FASTQ pair) and only then renamed to `runs/{id}/` and recorded in the database, so a rejected
 * upload leaves neither a run nor a directory behind. The upload is the run's first history
 * entry (step `upload`), with a log describing what was received.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Request } from 'express';
import {
  APP_CONFIG,
  AppConfig,
  InvalidInputError,
  PayloadTooLargeError,
  SERVER_NAME,
  SERVER_VERSION,
} from '@qslam/common';
import { Run, RunStateService } from '@qslam/db';
import { PairSummary } from '@qslam/fastq';
import { PARAM_GROUPS, PARAMS, ParamDef, resolveRunConfig, RunParams } from '@qslam/params';
import { RunWorkspace, WORKSPACE_DIRS } from '@qslam/steps';
import { checkKnownSitesBed, KNOWN_SITES_MAX_BYTES, KNOWN_SITES_PATH } from './known-sites-check';
import { checkReadPair, storeAsGzip } from './upload-checker';
import { READ_FILES, ReceivedUpload, receiveUpload } from './upload-receiver';

export const EXPORT_FORMAT = 'qslam-run-config';
export const EXPORT_FORMAT_VERSION = 1;

export interface CreatedRun {
  run_id: string;
  status: string;
  config_stored: string[];
  name: string | null;
  upload: { records: number; R1: unknown; R2: unknown };
}

@Injectable()
export class RunCreationService implements OnModuleInit {
  private readonly log = new Logger(RunCreationService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly state: RunStateService,
  ) {}

  private get incomingDir(): string {
    return path.join(this.config.runsDir, '.incoming');
  }

  /** Leftovers of uploads interrupted by a crash are never runs: remove them at start-up. */
  async onModuleInit(): Promise<void> {
    await fs.promises.rm(this.incomingDir, { recursive: true, force: true });
    await fs.promises.mkdir(this.incomingDir, { recursive: true });
  }

  async createFromUpload(req: Request): Promise<CreatedRun> {
    const id = randomUUID();
    const incoming = path.join(this.incomingDir, id);
    const startedAt = new Date();
    await fs.promises.mkdir(path.join(incoming, 'rawdata'), { recursive: true });
    try {
      const upload = await receiveUpload(
        req,
        path.join(incoming, 'rawdata'),
        this.config.maxUploadBytes,
      );
      const missing = READ_FILES.filter((f) => !upload.files[f]);
      if (missing.length > 0) {
        throw new InvalidInputError(`Missing file(s): ${missing.join(', ')}; send R1 and R2`);
      }
      const { config, fields } = splitConfigField(upload.fields);
      const resolved = await resolveRunConfig(fields, config);
      const summary = await checkReadPair(upload.files.R1!.path, upload.files.R2!.path);
      const knownSites = upload.files.known_sites;
      if (knownSites) {
        if (knownSites.bytes > KNOWN_SITES_MAX_BYTES) {
          throw new PayloadTooLargeError(
            `known_sites exceeds ${KNOWN_SITES_MAX_BYTES} bytes: a BED of known sites is small`,
          );
        }
        await checkKnownSitesBed(knownSites.path);
      }
      const ws = new RunWorkspace(this.config.runsDir, id);
      await this.finalizeWorkspace(incoming, upload, summary);
      await fs.promises.rename(incoming, ws.root);
      const name = resolved.meta.name ?? defaultName(upload);
      try {
        await this.state.createRun(
          {
            id,
            name,
            description: resolved.meta.description ?? null,
            created_by: resolved.meta.created_by ?? null,
            params: resolved.params,
          },
          {
            logFile: ws.path('logs', 'upload.log'),
            startedAt,
            files: await Promise.all(
              READ_FILES.map(async (read) => {
                const rel = `rawdata/${read}.fastq.gz`;
                const { size } = await fs.promises.stat(ws.path(rel));
                return {
                  role: 'output' as const,
                  path: rel,
                  size,
                  producer_job_id: null,
                  producer_step: null,
                };
              }),
            ),
          },
        );
      } catch (err) {
        await fs.promises.rm(ws.root, { recursive: true, force: true });
        throw err;
      }
      this.log.log(`run ${id} created from upload (${summary.records} read pairs)`);
      return {
        run_id: id,
        status: 'upload_completed',
        config_stored: resolved.groupsGiven.length > 0 ? resolved.groupsGiven : [...PARAM_GROUPS],
        name,
        upload: { records: summary.records, R1: summary.r1, R2: summary.r2 },
      };
    } finally {
      await fs.promises.rm(incoming, { recursive: true, force: true });
    }
  }

  private async finalizeWorkspace(incoming: string, upload: ReceivedUpload, summary: PairSummary) {
    for (const dir of WORKSPACE_DIRS) {
      await fs.promises.mkdir(path.join(incoming, dir), { recursive: true });
    }
    for (const read of READ_FILES) {
      await storeAsGzip(
        upload.files[read]!.path,
        path.join(incoming, 'rawdata', `${read}.fastq.gz`),
      );
    }
    const knownSites = upload.files.known_sites;
    if (knownSites)
      await fs.promises.rename(knownSites.path, path.join(incoming, KNOWN_SITES_PATH));
    const lines = [
      `[qslam ${new Date().toISOString()}] upload received and validated`,
      ...READ_FILES.map(
        (r) =>
          `${r}: ${JSON.stringify(upload.files[r]!.originalName)} ${upload.files[r]!.bytes} bytes`,
      ),
      `read pairs: ${summary.records}`,
      `R1: ${JSON.stringify(summary.r1)}`,
      `R2: ${JSON.stringify(summary.r2)}`,
      ...(knownSites
        ? [`known_sites: ${JSON.stringify(knownSites.originalName)} ${knownSites.bytes} bytes`]
        : []),
    ];
    await fs.promises.writeFile(path.join(incoming, 'logs', 'upload.log'), lines.join('\n') + '\n');
  }

  /** Creates a run (without data) from an export document. */
  async importRun(body: unknown): Promise<{ run_id: string; message: string; status: string }> {
    const doc = parseExportDocument(body);
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.run ?? {})) {
      if (value !== null && value !== undefined) fields[key] = String(value);
    }
    const resolved = await resolveRunConfig(fields, doc.config);
    const id = randomUUID();
    const ws = new RunWorkspace(this.config.runsDir, id);
    for (const dir of WORKSPACE_DIRS) await fs.promises.mkdir(ws.path(dir), { recursive: true });
    try {
      const run = await this.state.createRun({
        id,
        name: resolved.meta.name ?? null,
        description: resolved.meta.description ?? null,
        created_by: resolved.meta.created_by ?? null,
        params: resolved.params,
      });
      return { run_id: id, message: 'Run imported successfully', status: run.status };
    } catch (err) {
      await fs.promises.rm(ws.root, { recursive: true, force: true });
      throw err;
    }
  }

  exportRun(run: Run): Record<string, unknown> {
    const config: Record<string, Record<string, unknown>> = {};
    for (const def of PARAMS as readonly ParamDef[]) {
      config[def.group] ??= {};
      config[def.group][def.name] = run[def.name as keyof RunParams];
    }
    return {
      format: EXPORT_FORMAT,
      format_version: EXPORT_FORMAT_VERSION,
      exported_at: new Date().toISOString(),
      server: { name: SERVER_NAME, version: SERVER_VERSION },
      source_run_id: run.id,
      run: { name: run.name, description: run.description, created_by: run.created_by },
      config,
    };
  }
}

function splitConfigField(all: Record<string, string>): {
  config: unknown;
  fields: Record<string, string>;
} {
  const { config: raw, ...fields } = all;
  if (raw === undefined || raw.trim() === '') return { config: undefined, fields };
  try {
    return { config: JSON.parse(raw) as unknown, fields };
  } catch (err) {
    throw new InvalidInputError(`config is not valid JSON: ${(err as Error).message}`, {
      field: 'config',
    });
  }
}

function defaultName(upload: ReceivedUpload): string {
  const base = upload.files.R1?.originalName ?? '';
  return base.replace(/(_R?1)?(\.f(ast)?q)?(\.gz)?$/i, '') || 'Unnamed run';
}

interface ExportDocument {
  format: string;
  format_version: number;
  run?: Record<string, unknown>;
  config: unknown;
}

function parseExportDocument(body: unknown): ExportDocument {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidInputError(
      'The import body must be the JSON document of GET /runs/{id}/export',
    );
  }
  const doc = body as Partial<ExportDocument>;
  if (doc.format !== EXPORT_FORMAT) {
    throw new InvalidInputError(
      `format must be "${EXPORT_FORMAT}" (a GET /runs/{id}/export document)`,
      {
        field: 'format',
      },
    );
  }
  if (doc.format_version !== EXPORT_FORMAT_VERSION) {
    throw new InvalidInputError(
      `format_version ${String(doc.format_version)} is not supported; this server reads version ${EXPORT_FORMAT_VERSION}`,
      { field: 'format_version' },
    );
  }
  if (doc.run !== undefined && (doc.run === null || typeof doc.run !== 'object')) {
    throw new InvalidInputError('run must be an object with name, description, created_by');
  }
  return { ...doc, config: doc.config ?? {} } as ExportDocument;
}
