/**
 * Reference genome endpoints (issue #4). Thin: parsing and Swagger here, logic in
 * GenomesService. The list is `GET /system/genomes` (spec), in the system controller.
 */
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Request } from 'express';
import { InstallGenomeDto, GenomeLogQuery } from './genomes.dto';
import { GENOME_ACCEPTED_SCHEMA, GENOME_SCHEMA } from './genome-views';
import { GenomesService } from './genomes.service';

const NAME_PARAM = {
  name: 'name',
  description:
    "Genome name: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
};

const UPLOAD_SCHEMA = {
  type: 'object',
  required: ['name', 'fasta', 'annotation'],
  properties: {
    name: { type: 'string', example: 'GRCh38' },
    fasta: { type: 'string', format: 'binary', description: 'Genome FASTA (.fa or .fa.gz)' },
    annotation: {
      type: 'string',
      format: 'binary',
      description: 'Gene annotation, GTF or GFF3 (.gz allowed)',
    },
    vector: {
      type: 'string',
      format: 'binary',
      description: 'Optional vector FASTA, appended; its contigs are recorded as vector contigs',
    },
    vector_contigs: {
      type: 'string',
      description: 'Optional comma-separated contigs of `fasta` that belong to the vector',
    },
    source: { type: 'string', enum: ['upload', 'demo'], default: 'upload' },
  },
};

@ApiTags('genomes')
@Controller('genomes')
export class GenomesController {
  constructor(private readonly genomes: GenomesService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Add a genome from FASTA + annotation; the index is built by a worker job',
    description:
      'Streams the files to disk and checks them (gzip intact, FASTA headers and nucleotide ' +
      'codes, GTF/GFF3 with 9 tab-separated columns) before answering; a rejected upload leaves ' +
      'nothing behind. The build (bwa-mem2 index when installed, else bwa index; samtools ' +
      'faidx) runs in a worker; follow it with GET /genomes/{name} and its log.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_SCHEMA })
  @ApiResponse({
    status: 202,
    description: 'The genome (installing) and its build job',
    schema: GENOME_ACCEPTED_SCHEMA,
  })
  @ApiResponse({ status: 400, description: 'A field is invalid or a file is missing (names it)' })
  @ApiResponse({ status: 409, description: 'A genome of that name exists' })
  @ApiResponse({ status: 413, description: 'A file exceeds QSLAM_MAX_UPLOAD_BYTES' })
  @ApiResponse({
    status: 422,
    description: 'A file is not valid FASTA/GTF/gzip (names file and line)',
  })
  create(@Req() req: Request) {
    return this.genomes.createFromUpload(req);
  }

  @Post(':name/install')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Install a genome from a prebuilt index tarball (downloaded by a worker job)',
    description:
      'The download is streamed, resumable and optionally checked against sha256; the archive ' +
      'is refused when a member is absolute, has `..` or links out of the genome directory; the ' +
      'genome turns ready only when a complete BWA or bwa-mem2 index was found.',
  })
  @ApiParam(NAME_PARAM)
  @ApiResponse({
    status: 202,
    description: 'The genome (installing) and its install job',
    schema: GENOME_ACCEPTED_SCHEMA,
  })
  @ApiResponse({ status: 400, description: 'Invalid name, URL or sha256' })
  @ApiResponse({ status: 409, description: 'The genome is already installed or installing' })
  install(@Param('name') name: string, @Body() body: InstallGenomeDto) {
    return this.genomes.install(name, body.tar_url, body.sha256);
  }

  @Get(':name')
  @ApiOperation({ summary: 'A genome: status, files, contigs and its latest job' })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ description: 'The genome', schema: GENOME_SCHEMA })
  @ApiResponse({ status: 404, description: 'No such genome' })
  get(@Param('name') name: string) {
    return this.genomes.get(name);
  }

  @Get(':name/log')
  @ApiOperation({ summary: 'Log of the latest (or a given) build/install job; ?tail=N' })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({
    description: 'The job log',
    schema: {
      type: 'object',
      properties: {
        genome: { type: 'string' },
        job_id: { type: 'integer' },
        kind: { type: 'string', enum: ['build', 'install'] },
        status: { type: 'string' },
        logs: { type: 'string' },
      },
    },
  })
  @ApiResponse({ status: 404, description: 'No such genome or job' })
  log(@Param('name') name: string, @Query() query: GenomeLogQuery) {
    return this.genomes.log(name, query.job_id, query.tail);
  }

  @Delete(':name')
  @ApiOperation({
    summary: 'Delete a genome and its files',
    description:
      'Refused with 409 (naming the job and run) while its build/install job, or a ' +
      'read_mapping/site_analysis job of a run using it, is queued or running.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({
    description: 'Deleted',
    schema: {
      type: 'object',
      properties: { message: { type: 'string' }, name: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 404, description: 'No such genome' })
  @ApiResponse({ status: 409, description: 'A job uses the genome' })
  delete(@Param('name') name: string) {
    return this.genomes.delete(name);
  }
}
