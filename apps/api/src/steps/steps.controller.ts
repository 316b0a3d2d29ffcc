/**
 * Pipeline step endpoints (spec §2): `POST /runs/{id}/{step}`, its status and its logs.
 * Step names: qc, umi, cutadapt, fastp, readlen, read_mapping, site_analysis.
 */
import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiOperation,
  ApiOkResponse,
  ApiParam,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Request } from 'express';
import { STEP_NAMES } from '@qslam/steps';
import { RunScoped } from '../common/api-docs';
import { StepsService } from './steps.service';

const STEP_PARAM = { name: 'step', enum: STEP_NAMES, description: 'Pipeline step' };

export class LogsQuery {
  @ApiPropertyOptional({ description: 'A specific attempt (default: the latest)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  job_id?: number;

  @ApiPropertyOptional({ description: 'Only the last N lines', minimum: 1, maximum: 100000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  tail?: number;

  @ApiPropertyOptional({
    description: 'Stream the log as server-sent events until the job ends (`log` and `end` events)',
  })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'])
  follow?: string;
}

@ApiTags('steps')
@Controller('runs/:id')
export class StepsController {
  constructor(private readonly steps: StepsService) {}

  @Post(':step')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a pipeline step (answers at once; the job runs in a worker)',
    description:
      'Refused with 409 while another job of the run is queued or running, or when an input ' +
      'file is missing (the message names the file and the step that produces it).',
  })
  @RunScoped()
  @ApiParam(STEP_PARAM)
  @ApiQuery({
    name: 'stage',
    required: false,
    enum: ['before', 'after', 'both'],
    description: 'qc only',
  })
  @ApiResponse({ status: 202, description: '{job_id, status: "pending", run_id, step, variant}' })
  @ApiResponse({ status: 404, description: 'Unknown run or step' })
  @ApiResponse({
    status: 409,
    description:
      "Another job is active, an input is missing, or the run's genome is not installed (the message names it and how to add it)",
  })
  start(
    @Param('id') id: string,
    @Param('step') step: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.steps.start(id, step, query);
  }

  @Get(':step/status')
  @ApiOperation({ summary: 'Status of the latest job of a step' })
  @RunScoped()
  @ApiParam(STEP_PARAM)
  @ApiOkResponse({
    description: 'The latest job of the step: {job_id, step_name, variant, status, ...}',
  })
  status(@Param('id') id: string, @Param('step') step: string) {
    return this.steps.status(id, step);
  }

  @Get(':step/logs')
  @ApiOperation({
    summary: 'Log of the latest (or a given) job of a step; ?tail=N; ?follow=true for SSE',
  })
  @RunScoped()
  @ApiParam(STEP_PARAM)
  @ApiOkResponse({
    description:
      '{job_id, status, logs} — or, with follow=true, text/event-stream events `log` and a final `end`',
  })
  async logs(
    @Param('id') id: string,
    @Param('step') step: string,
    @Query() query: LogsQuery,
    @Req() req: Request,
  ) {
    if (query.follow === 'true' || query.follow === '1') {
      await this.steps.followLogs(id, step, query.job_id, req.res!);
      return;
    }
    return this.steps.logs(id, step, query.job_id, query.tail);
  }
}
