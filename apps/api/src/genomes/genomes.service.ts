/**
 * The genome registry behind the HTTP edge: listing, uploads that become index builds,
 * tarball installs, deletion, and the genome check of a step start.
 *
 * An upload is streamed to `references/.incoming/{uuid}`, checked (genome-upload checks name
 * the file and line), and only then recorded: the genome row and its build job are created in
 * one transaction, the files moved to the genome's `source/` folder and the job enqueued. Any
 * failure before that removes the incoming folder, so a rejected upload leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { Request } from 'express';
import {
  APP_CONFIG,
  AppConfig,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  readTail,
  UnprocessableUploadError,
} from '@qslam/common';
import { GenomeJob, GenomesRepository, GenomeStateService, Run } from '@qslam/db';
import {
  annotationFileName,
  checkAnnotation,
  checkDownloadUrl,
  checkFasta,
  checkGenomeName,
  GenomeLayout,
  normalizeSha256,
  provisionalGenome,
  resolveGenome,
} from '@qslam/genomes';
import { implementedSteps, ResolvedGenome } from '@qslam/steps';
import { GenomeQueueService } from './genome-queue.service';
import { GenomeUpload, receiveGenomeUpload } from './genome-upload';
import { genomeJobView, genomeView } from './genome-views';

/** Steps that use a run's genome even before their definitions declare it. */
const GENOME_STEPS = ['read_mapping', 'site_analysis'];

/** What a step start needs: the genome to plan with, and what to do once its job exists. */
export interface GenomeForStart {
  genome: ResolvedGenome;
  /** Creates or joins the genome's install (a run's genome_tar_url); null when none is needed. */
  install: (() => Promise<void>) | null;
}

@Injectable()
export class GenomesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly genomes: GenomesRepository,
    private readonly state: GenomeStateService,
    private readonly queue: GenomeQueueService,
  ) {}

  async list() {
    const genomes = await this.genomes.list();
    const views = [];
    for (const g of genomes) views.push(genomeView(g, await this.genomes.latestJob(g.name), false));
    return { genomes: views, total: views.length };
  }

  async get(name: string) {
    const genome = await this.genomes.get(checkGenomeName(name));
    return genomeView(genome, await this.genomes.latestJob(name), true);
  }

  async log(name: string, jobId?: number, tail?: number) {
    await this.genomes.get(checkGenomeName(name));
    const job = jobId ? await this.genomes.findJob(jobId) : await this.genomes.latestJob(name);
    if (!job || job.genome !== name) {
      throw new NotFoundError(
        jobId ? `Genome job ${jobId} is not a job of genome ${name}` : `Genome ${name} has no job`,
      );
    }
    const text = job.log_file
      ? await readTail(job.log_file, tail ?? Number.MAX_SAFE_INTEGER, 16 * 1024 * 1024)
      : '';
    return { genome: name, job_id: job.id, kind: job.kind, status: job.status, logs: text };
  }

  /** POST /genomes: upload, check, record the genome with its build job, enqueue. */
  async createFromUpload(req: Request) {
    const incoming = path.join(this.config.referencesDir, '.incoming', randomUUID());
    await fs.promises.mkdir(incoming, { recursive: true });
    let moved = false;
    try {
      const upload = await receiveGenomeUpload(req, incoming, this.config.maxUploadBytes);
      const name = checkGenomeName(upload.fields.name);
      const existing = await this.genomes.find(name);
      if (existing && existing.status !== 'failed') {
        throw new ConflictError(
          `Genome ${name} already exists (${existing.status}). Delete it first ` +
            `(DELETE /genomes/${name}) or choose another name.`,
          { genome: name, status: existing.status },
        );
      }
      const { vectorContigs, source } = await this.checkUpload(upload);
      const layout = new GenomeLayout(this.config.referencesDir, name);
      const { genome, job } = await this.state.createBuild(
        name,
        source,
        vectorContigs,
        (id) => layout.jobFiles('build', id).log,
      );
      try {
        await fs.promises.mkdir(layout.dir, { recursive: true });
        await fs.promises.rm(layout.sourceDir, { recursive: true, force: true });
        await fs.promises.rename(incoming, layout.sourceDir);
        moved = true;
        await this.queue.enqueue({ genomeJobId: job.id, genome: name });
      } catch (err) {
        await this.state.transitionJob(job.id, 'failed', { error_message: String(err) });
        throw err;
      }
      return { genome: genomeView(genome, job, false), job: genomeJobView(job) };
    } finally {
      if (!moved) await fs.promises.rm(incoming, { recursive: true, force: true });
    }
  }

  /** Checks the uploaded files and renames them to the names the build job expects. */
  private async checkUpload(upload: GenomeUpload) {
    const { fasta, annotation, vector } = upload.files;
    if (!fasta)
      throw new InvalidInputError('fasta is required (FASTA, .fa or .fa.gz)', { field: 'fasta' });
    if (!annotation) {
      throw new InvalidInputError('annotation is required (GTF or GFF3, .gz allowed)', {
        field: 'annotation',
      });
    }
    const source = upload.fields.source ?? 'upload';
    if (source !== 'upload' && source !== 'demo') {
      throw new InvalidInputError(`source must be upload or demo, got '${source}'`, {
        field: 'source',
      });
    }
    const host = await checkFasta(fasta.path, 'fasta');
    const notes = await checkAnnotation(annotation.path, 'annotation');
    const vectorContigs: string[] = [];
    if (vector) {
      const v = await checkFasta(vector.path, 'vector');
      const clash = v.contigs.find((c) => host.contigs.includes(c));
      if (clash) {
        throw new UnprocessableUploadError(`vector: contig '${clash}' is also a contig of fasta`, {
          file: 'vector',
          contig: clash,
        });
      }
      vectorContigs.push(...v.contigs);
      await fs.promises.rename(
        vector.path,
        path.join(path.dirname(vector.path), `vector.fa${v.gzip ? '.gz' : ''}`),
      );
    }
    for (const named of (upload.fields.vector_contigs ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!host.contigs.includes(named)) {
        throw new InvalidInputError(`vector_contigs: '${named}' is not a contig of fasta`, {
          field: 'vector_contigs',
        });
      }
      if (!vectorContigs.includes(named)) vectorContigs.push(named);
    }
    const dir = path.dirname(fasta.path);
    await fs.promises.rename(fasta.path, path.join(dir, `genome.fa${host.gzip ? '.gz' : ''}`));
    const annotationName = annotationFileName(`x.${notes.format}${notes.gzip ? '.gz' : ''}`);
    await fs.promises.rename(annotation.path, path.join(dir, annotationName));
    return { vectorContigs, source: source as 'upload' | 'demo' };
  }

  /** POST /genomes/{name}/install. */
  async install(name: string, tarUrl: string, sha256?: string) {
    checkGenomeName(name);
    checkDownloadUrl(tarUrl);
    const digest = sha256 ? normalizeSha256(sha256) : null;
    const layout = new GenomeLayout(this.config.referencesDir, name);
    const outcome = await this.state.requestInstall(
      name,
      { tar_url: tarUrl, sha256: digest, requested_by_run: null },
      (id) => layout.jobFiles('install', id).log,
      true,
    );
    const job = outcome.job!;
    await this.enqueueOrFail(job);
    return { genome: genomeView(outcome.genome, job, false), job: genomeJobView(job) };
  }

  /** DELETE /genomes/{name}: refused while a job uses it; removes its directory. */
  async delete(name: string) {
    const layout = new GenomeLayout(this.config.referencesDir, checkGenomeName(name));
    const steps = new Set([
      ...GENOME_STEPS,
      ...implementedSteps()
        .filter((s) => s.needsGenome)
        .map((s) => s.name),
    ]);
    const trash = path.join(this.config.referencesDir, `.trash-${randomUUID()}`);
    await this.state.delete(name, [...steps], async () => {
      if (fs.existsSync(layout.dir)) await fs.promises.rename(layout.dir, trash);
    });
    await fs.promises.rm(trash, { recursive: true, force: true });
    return { message: `Genome ${name} deleted`, name };
  }

  /**
   * The genome check of a step start (steps with needsGenome). Ready: its paths. Installing:
   * the expected paths (the worker waits for it). Missing or failed: with the run's
   * genome_tar_url, an install to create or join once the step's job exists; without, 409.
   */
  async genomeForStart(run: Run, step: string): Promise<GenomeForStart> {
    const name = run.genome;
    if (!name) {
      throw new ConflictError(
        `Run ${run.id} has no genome: set the run parameter genome (the name of an installed ` +
          `genome, see GET /system/genomes) before starting ${step}.`,
        { run_id: run.id, field: 'genome' },
      );
    }
    const genome = await this.genomes.find(name);
    const refs = this.config.referencesDir;
    if (genome?.status === 'ready') return { genome: resolveGenome(genome, refs), install: null };
    if (genome?.status === 'installing')
      return { genome: provisionalGenome(name, refs), install: null };
    const url = run.genome_tar_url;
    if (!url) {
      const state = genome
        ? `failed to install (${genome.error ?? 'unknown error'})`
        : 'is not installed';
      throw new ConflictError(
        `Genome ${name} ${state}. Add it with POST /genomes (multipart: name, fasta, ` +
          `annotation) or POST /genomes/${name}/install {"tar_url": ...}, or set the run's ` +
          `genome_tar_url so that ${step} installs it first.`,
        {
          genome: name,
          status: genome?.status ?? null,
          how: [
            'POST /genomes (multipart: name, fasta, annotation[, vector])',
            `POST /genomes/${name}/install {"tar_url": "...", "sha256": "..."}`,
            'set the run parameter genome_tar_url',
          ],
        },
      );
    }
    const layout = new GenomeLayout(refs, name);
    const install = async () => {
      const outcome = await this.state.requestInstall(
        name,
        { tar_url: url, sha256: null, requested_by_run: run.id },
        (id) => layout.jobFiles('install', id).log,
        false,
      );
      if (outcome.created && outcome.job) await this.enqueueOrFail(outcome.job);
    };
    return { genome: provisionalGenome(name, refs), install };
  }

  private async enqueueOrFail(job: GenomeJob): Promise<void> {
    try {
      await this.queue.enqueue({ genomeJobId: job.id, genome: job.genome });
    } catch (err) {
      await this.state.transitionJob(job.id, 'failed', { error_message: (err as Error).message });
      throw err;
    }
  }
}
