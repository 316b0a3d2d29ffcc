/**
 * Run management endpoints (spec §1, §4, §5). Thin: parsing and Swagger here, logic in the
 * services.
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Request } from 'express';
import { PARAMS, ParamDef, swaggerSchemaOf } from '@qslam/params';
import { RunScoped } from '../common/api-docs';
import { StepsService } from '../steps/steps.service';
import { RunCreationService } from './run-creation.service';
import { ListRunsQuery } from './runs.dto';
import { RunsService } from './runs.service';

const paramSchemas = Object.fromEntries(
  (PARAMS as readonly ParamDef[]).map((d) => [d.name, swaggerSchemaOf(d)]),
);

const CREATE_RUN_SCHEMA = {
  type: 'object',
  required: ['R1', 'R2'],
  properties: {
    name: {
      type: 'string',
      description: 'User-friendly run name (default: from the R1 file name)',
    },
    description: { type: 'string' },
    created_by: { type: 'string', description: 'User identifier' },
    R1: { type: 'string', format: 'binary', description: 'R1 FASTQ (.fastq.gz or plain)' },
    R2: { type: 'string', format: 'binary', description: 'R2 FASTQ, same read names and order' },
    known_sites: {
      type: 'string',
      format: 'binary',
      description:
        'Optional BED of known integration sites (chrom, 0-based start, end[, name, score, strand]); site_analysis reports for every site how many lie within d bp on the same strand',
    },
    config: {
      type: 'string',
      description:
        'Optional JSON configuration, grouped by step ({"cutadapt":{"r1_seq":"..."}}) or flat; ' +
        'an alternative to the individual fields below',
    },
    ...paramSchemas,
  },
};

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(
    private readonly creation: RunCreationService,
    private readonly runs: RunsService,
    private readonly steps: StepsService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a run by uploading R1/R2 with its configuration',
    description:
      'Streams both files to the run workspace and validates them (gzip intact, FASTQ well formed, ' +
      'same record count and read names) before answering. A rejected upload leaves nothing behind.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: CREATE_RUN_SCHEMA })
  @ApiResponse({
    status: 201,
    description: '{run_id, status: "upload_completed", config_stored, upload}',
  })
  @ApiResponse({
    status: 400,
    description: 'A parameter is invalid or a file is missing (names the field)',
  })
  @ApiResponse({ status: 413, description: 'A file exceeds QSLAM_MAX_UPLOAD_BYTES' })
  @ApiResponse({
    status: 422,
    description: 'A file is not valid gzip/FASTQ or R1/R2 do not match (names file and record)',
  })
  create(@Req() req: Request) {
    return this.creation.createFromUpload(req);
  }

  @Get()
  @ApiOperation({ summary: 'List runs, newest first, with paging and filters' })
  @ApiOkResponse({ description: '{runs: [...], total, limit, offset}' })
  list(@Query() query: ListRunsQuery) {
    return this.runs.list(query);
  }

  @Post('import')
  @ApiOperation({
    summary: 'Create a run (without data) from an exported configuration',
    description: 'Body: the JSON document of GET /runs/{id}/export. Validated like run creation.',
  })
  @ApiBody({ schema: { type: 'object', description: 'An export document' } })
  @ApiResponse({
    status: 201,
    description: '{run_id, message: "Run imported successfully", status}',
  })
  @ApiResponse({ status: 400, description: 'Not an export document, or an invalid parameter' })
  import(@Body() body: unknown) {
    return this.creation.importRun(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A run with its configuration and every job' })
  @RunScoped()
  @ApiOkResponse({ description: '{...run (every parameter), last_step, jobs: [...]}' })
  details(@Param('id') id: string) {
    return this.runs.details(id);
  }

  @Get(':id/status')
  @ApiOperation({
    summary: 'Run status, current step and the history of every attempt',
    description: 'The status follows the state table in the README.',
  })
  @RunScoped()
  @ApiOkResponse({
    description:
      '{run_id, status, current_step, last_step, stale_steps, step_history: [{job_id, step_name, variant, status, started_at, completed_at, error_message, exit_code, pgid, log_file, inputs, outputs, stale?}]}',
  })
  status(@Param('id') id: string) {
    return this.runs.status(id);
  }

  @Delete(':id/kill')
  @ApiOperation({
    summary: "Kill the run's queued or running job",
    description:
      'A queued job is removed from the queue; a running one has its process group stopped ' +
      '(TERM, then KILL after QSLAM_KILL_GRACE_MS) by the worker that owns it, wherever it runs.',
  })
  @RunScoped()
  @ApiResponse({ status: 200, description: '{message: "Job killed", job_id, status}' })
  @ApiResponse({
    status: 202,
    description: 'Kill requested; the worker carries it out when it returns',
  })
  @ApiResponse({ status: 409, description: 'The run has no queued or running job' })
  kill(@Param('id') id: string, @Req() req: Request) {
    return this.steps.kill(id, req.res!);
  }

  @Delete(':id/clean')
  @ApiOperation({
    summary: "Delete the run's step outputs, keeping rawdata/ and logs/",
  })
  @RunScoped()
  @ApiResponse({ status: 409, description: 'A job of the run is queued or running' })
  @ApiOkResponse({
    description: '{message: "Run cleaned successfully", files_deleted, removed, bytes_freed, kept}',
  })
  clean(@Param('id') id: string) {
    return this.runs.clean(id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a run, its history and its workspace' })
  @RunScoped()
  @ApiResponse({ status: 409, description: 'A job of the run is queued or running' })
  @ApiOkResponse({ description: '{message: "Run deleted", run_id}' })
  delete(@Param('id') id: string) {
    return this.runs.delete(id);
  }

  @Get(':id/export')
  @HttpCode(200)
  @Header('Content-Type', 'application/json')
  @ApiOperation({ summary: "Download the run's configuration as JSON (no data files)" })
  @RunScoped()
  @ApiOkResponse({
    description:
      'The export document (format "qslam-run-config", format_version 1), as an attachment',
  })
  async export(@Param('id') id: string, @Req() req: Request) {
    const run = await this.runs.get(id);
    req.res!.setHeader('Content-Disposition', `attachment; filename="run-${id}.json"`);
    return this.creation.exportRun(run);
  }
}
