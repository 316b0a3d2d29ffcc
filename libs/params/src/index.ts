export * from './registry';
export * from './run-params.dto';
export * from './parse-run-config';
