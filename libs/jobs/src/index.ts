export * from './job-script';
export * from './job-launcher';
export * from './process-group';
export * from './queue';
