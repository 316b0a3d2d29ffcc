/** Results and file downloads (spec §3). Downloads support HTTP range requests. */
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { STEP_NAMES } from '@qslam/steps';
import { RunScoped } from '../common/api-docs';
import { FilesService } from './files.service';

@ApiTags('results')
@Controller('runs/:id')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get('results')
  @ApiOperation({ summary: 'Results of every step that has produced some, in one shape' })
  @RunScoped()
  @ApiOkResponse({ description: '{run_id, results: {step: <step results>}}' })
  results(@Param('id') id: string) {
    return this.files.allResults(id);
  }

  @Get('results/:step')
  @ApiOperation({ summary: "One step's results: its job, summary numbers and file links" })
  @RunScoped()
  @ApiParam({ name: 'step', enum: STEP_NAMES })
  @ApiResponse({ status: 404, description: 'Unknown step, or no results yet' })
  @ApiOkResponse({
    description:
      '{step, job, latest_job, stale, stale_because, inputs, summary, files: [{path, size, modified_at, url}]}',
  })
  stepResults(@Param('id') id: string, @Param('step') step: string) {
    return this.files.stepResults(id, step);
  }

  @Get('files')
  @ApiOperation({ summary: "List the run's files with sizes" })
  @RunScoped()
  @ApiOkResponse({ description: '{run_id, files: [{path, size, modified_at, url}]}' })
  list(@Param('id') id: string) {
    return this.files.list(id);
  }

  @Get('files/*path')
  @ApiOperation({
    summary: 'Download a file of the run (Range requests supported)',
    description:
      'Paths leaving the workspace (../, absolute, or through a symlink) are refused with 403.',
  })
  @RunScoped()
  @ApiParam({
    name: 'path',
    description: 'Path inside the run workspace, e.g. fastqc/beforeCutAdapt/R1_fastqc.html',
  })
  @ApiResponse({ status: 403, description: 'The path leaves the run workspace' })
  @ApiResponse({ status: 404, description: 'No such file' })
  @ApiOkResponse({ description: 'The file (206 for a Range request)' })
  async download(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    const raw = (req.params as Record<string, unknown>).path;
    const rel = Array.isArray(raw) ? raw.join('/') : String(raw ?? '');
    const file = await this.files.resolve(id, rel);
    await new Promise<void>((resolve, reject) =>
      res.sendFile(file, { dotfiles: 'allow', acceptRanges: true }, (err) =>
        err ? reject(err) : resolve(),
      ),
    ).catch((err: NodeJS.ErrnoException & { status?: number }) => {
      if (!res.headersSent)
        res.status(err.status ?? 500).json({ statusCode: err.status ?? 500, message: err.message });
    });
  }
}
