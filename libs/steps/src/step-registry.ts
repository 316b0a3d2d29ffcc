/**
 * The pipeline's step names (fixed by the spec) and their definitions. A step that is named by
 * the spec but not built yet answers 501 with its name instead of pretending to run.
 */
import { NotFoundError, NotImplementedError } from '@qslam/common';
import { cutadaptStep } from './cutadapt/cutadapt.step';
import { fastpStep } from './fastp/fastp.step';
import { qcStep } from './qc/qc.step';
import { readMappingStep } from './read_mapping/read-mapping.step';
import { readlenStep } from './readlen/readlen.step';
import { siteAnalysisStep } from './site_analysis/site-analysis.step';
import { umiStep } from './umi/umi.step';
import type { Job } from '@qslam/db';
import { Staleness, staleSteps } from './chain';
import { StepDefinition } from './step-definition';

export const STEP_NAMES = [
  'qc',
  'umi',
  'cutadapt',
  'fastp',
  'readlen',
  'read_mapping',
  'site_analysis',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

const DEFINITIONS: Partial<Record<StepName, StepDefinition>> = {
  qc: qcStep,
  umi: umiStep,
  cutadapt: cutadaptStep,
  fastp: fastpStep,
  readlen: readlenStep,
  read_mapping: readMappingStep,
  site_analysis: siteAnalysisStep,
};

export function isStepName(name: string): name is StepName {
  return (STEP_NAMES as readonly string[]).includes(name);
}

/** The definition of a step; 404 for an unknown name, 501 for a known one not built yet. */
export function stepDefinition(name: string): StepDefinition {
  if (!isStepName(name)) {
    throw new NotFoundError(`Unknown step "${name}". Steps: ${STEP_NAMES.join(', ')}`, {
      step: name,
    });
  }
  const def = DEFINITIONS[name];
  if (!def) {
    throw new NotImplementedError(`Step ${name} is not implemented on this server yet`);
  }
  return def;
}

export function implementedSteps(): StepDefinition[] {
  return Object.values(DEFINITIONS);
}

/** Steps of a run whose latest completed outputs are stale (see chain.ts). */
export function staleStepsOf(history: readonly Job[]): Staleness[] {
  return staleSteps(history, (step, variant) => {
    const def = isStepName(step) ? DEFINITIONS[step] : undefined;
    return def?.upstream?.(variant) ?? [];
  });
}
