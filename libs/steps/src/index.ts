export * from './workspace';
export * from './step-definition';
export * from './chain';
export * from './step-registry';
export * from './qc/qc.step';
export * from './qc/fastqc-report';
export * from './cutadapt/cutadapt.step';
export * from './fastp/fastp.step';
