// Project-written preprocessing tools run as job subprocesses (umi extraction, read lengths).
export * from './umi/umi-errors';
export * from './umi/umi-pattern';
export * from './umi/umi-transform';
export * from './umi/umi-report';
export * from './umi/fastq-gz-writer';
export * from './umi/paired-batches';
export * from './umi/umi-extract';
export { UMI_CLI_USAGE, UmiCliOptions, parseUmiCliArgs } from './umi/umi-cli';
export * from './readlen/errors';
export * from './readlen/length-histogram';
export * from './readlen/length-stats';
export * from './readlen/readlen-table';
export * from './readlen/readlen-report';
export { READLEN_USAGE, parseReadlenArgs } from './readlen/readlen-cli';
