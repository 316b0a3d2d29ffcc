// Public API of @qslam/fastq: streaming FASTQ reading and pair validation for uploads and steps,
// plus the seeded qsLAM-PCR library simulator used by tests and benchmarks.
// The CLI (simulate-cli.ts) is deliberately not exported: importing the library has no effects.

export * from './errors';
export * from './fastq-parser';
export * from './fastq-reader';
export * from './pair-validator';
export * from './random';
export * from './dna';
export * from './sim-types';
export * from './sim-plan';
export * from './sim-sites';
export * from './sim-scenarios';
export * from './sim-reads';
export * from './sim-writers';
export * from './simulator';
export * from './site-truth';
