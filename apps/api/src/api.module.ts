import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@qslam/common';
import { DbModule } from '@qslam/db';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { FilesController } from './files/files.controller';
import { FilesService } from './files/files.service';
import { GenomeQueueService } from './genomes/genome-queue.service';
import { GenomesController } from './genomes/genomes.controller';
import { GenomesService } from './genomes/genomes.service';
import { StepQueueService } from './queue/step-queue.service';
import { RunCreationService } from './runs/run-creation.service';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { StepsController } from './steps/steps.controller';
import { StepsService } from './steps/steps.service';
import { SystemController } from './system/system.controller';
import { SystemService } from './system/system.service';

@Module({
  imports: [ConfigModule, DbModule],
  // SystemController first: its literal routes must win over runs/:id patterns.
  controllers: [
    SystemController,
    RunsController,
    FilesController,
    StepsController,
    GenomesController,
  ],
  providers: [
    { provide: APP_FILTER, useClass: DomainExceptionFilter },
    StepQueueService,
    RunCreationService,
    RunsService,
    StepsService,
    FilesService,
    SystemService,
    GenomeQueueService,
    GenomesService,
  ],
})
export class ApiModule {}
