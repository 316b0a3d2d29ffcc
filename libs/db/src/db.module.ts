/**
 * Nest wiring of the database layer, shared by the API and the worker: opens the SQLite file
 * (migrating it) once per process and exposes the repositories and the state service.
 */
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@qslam/common';
import { Database, openDatabase } from './database';
import { GenomeStateService } from './genome-state.service';
import { GenomesRepository } from './genomes.repository';
import { JobsRepository } from './jobs.repository';
import { RunStateService } from './run-state.service';
import { RunsRepository } from './runs.repository';

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openDatabase(config.dbPath),
    },
    {
      provide: RunsRepository,
      inject: [Database],
      useFactory: (db: Database) => new RunsRepository(db),
    },
    {
      provide: JobsRepository,
      inject: [Database],
      useFactory: (db: Database) => new JobsRepository(db),
    },
    {
      provide: RunStateService,
      inject: [Database],
      useFactory: (db: Database) => new RunStateService(db),
    },
    {
      provide: GenomesRepository,
      inject: [Database],
      useFactory: (db: Database) => new GenomesRepository(db),
    },
    {
      provide: GenomeStateService,
      inject: [Database],
      useFactory: (db: Database) => new GenomeStateService(db),
    },
  ],
  exports: [
    Database,
    RunsRepository,
    JobsRepository,
    RunStateService,
    GenomesRepository,
    GenomeStateService,
  ],
})
export class DbModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
