// The integration-site engine (site_analysis): BAM → sites, annotation, abundance, reports.
export * from './types';
export * from './errors';
export * from './bam-reader';
export * from './site-position';
export * from './r1-filter';
export * from './umi-clusters';
export * from './position-table';
export * from './site-merger';
export * from './gene-annotation';
export * from './known-sites';
export * from './site-tables';
export * from './site-files';
export * from './site-options';
export * from './site-summary';
export * from './analyze-sites';
export { SITE_CLI_USAGE, parseSiteCliArgs } from './site-cli';
