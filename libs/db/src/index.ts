export * from './entities';
export * from './state';
export * from './database';
export * from './runs.repository';
export * from './jobs.repository';
export * from './run-state.service';
export * from './db.module';
