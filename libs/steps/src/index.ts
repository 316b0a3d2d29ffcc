export * from './workspace';
export * from './step-definition';
export * from './read-sources';
export * from './step-registry';
export * from './qc/qc.step';
export * from './qc/fastqc-report';
