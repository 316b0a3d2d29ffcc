export * from './config';
export * from './config.module';
export * from './errors';
export * from './version';
export * from './mutex';
export * from './text-file';
