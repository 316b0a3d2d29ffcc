// Public API of @qslam/genomes: the building blocks of the reference-genome registry.
// Resumable downloads, safe extraction of index tarballs, locating the aligner index in a
// directory, and the offline demo genome. The CLIs (*-cli.ts) are run as job commands and are
// not exported, except their pure argument parsers, so that importing the library has no effects.

export * from './errors';
export * from './download';
export * from './download-progress';
export { checkDownloadUrl, displayUrl } from './http-get';
export { DOWNLOAD_USAGE, parseDownloadArgs } from './download-cli';
export * from './tar-headers';
export * from './tar-program';
export * from './tar-safety';
export { SAFE_EXTRACT_USAGE, parseSafeExtractArgs } from './safe-extract-cli';
export * from './index-files';
export * from './demo-genome';
export { DEMO_GENOME_USAGE, parseDemoGenomeArgs } from './demo-genome-cli';
export * from './genome-name';
export * from './genome-layout';
export * from './upload-checks';
export * from './genome-verify';
export * from './binary-on-path';
export * from './genome-job-plan';
export * from './genome-resolver';
export { FASTA_CONCAT_USAGE, parseFastaConcatArgs } from './fasta-concat-cli';
export { GENOME_VERIFY_USAGE, parseGenomeVerifyArgs } from './genome-verify-cli';
export * from './genome-queue';
