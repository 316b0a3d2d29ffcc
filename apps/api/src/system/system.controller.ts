/** System endpoints (spec §6) and the health check used by docker compose. */
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { GENOME_SCHEMA } from '../genomes/genome-views';
import { GenomesService } from '../genomes/genomes.service';
import { SystemService } from './system.service';

@ApiTags('system')
@Controller()
export class SystemController {
  constructor(
    private readonly system: SystemService,
    private readonly genomes: GenomesService,
  ) {}

  @Get('system/status')
  @ApiOperation({
    summary: 'Active and queued jobs, total runs, disk usage, uptime, workers online',
  })
  status() {
    return this.system.status();
  }

  @Get('system/info')
  @ApiOperation({ summary: 'Server name, version, deployment mode, steps and tool versions' })
  info() {
    return this.system.info();
  }

  @Get('system/genomes')
  @ApiOperation({ summary: 'Reference genomes with their status (installing, ready, failed)' })
  @ApiOkResponse({
    description: '{genomes: [...], total}',
    schema: {
      type: 'object',
      properties: {
        genomes: { type: 'array', items: GENOME_SCHEMA },
        total: { type: 'integer' },
      },
    },
  })
  genomesList() {
    return this.genomes.list();
  }

  @Get('health')
  @ApiOperation({ summary: 'Liveness of the API, its database and Redis' })
  @ApiResponse({ status: 200, description: 'All dependencies answer' })
  @ApiResponse({ status: 503, description: 'The database or Redis does not answer' })
  async health(@Res() res: Response) {
    const { ok, body } = await this.system.health();
    res.status(ok ? 200 : 503).json(body);
  }
}
