import type { Job } from '@qslam/db';
import { NotFoundError, NotImplementedError } from '@qslam/common';
import {
  implementedSteps,
  isStepName,
  staleStepsOf,
  STEP_NAMES,
  stepDefinition,
} from './step-registry';

describe('step registry', () => {
  it('returns the definition of each implemented step under its own name', () => {
    for (const name of ['qc', 'umi', 'cutadapt', 'fastp', 'readlen', 'read_mapping']) {
      expect(stepDefinition(name).name).toBe(name);
    }
    expect(implementedSteps().map((s) => s.name)).toEqual([
      'qc',
      'umi',
      'cutadapt',
      'fastp',
      'readlen',
      'read_mapping',
    ]);
  });

  it('answers 404 for an unknown step, listing the steps', () => {
    for (const name of ['upload', 'bwa', 'QC', '']) {
      expect(isStepName(name)).toBe(false);
      expect(() => stepDefinition(name)).toThrow(NotFoundError);
    }
    expect(() => stepDefinition('bwa')).toThrow(
      `Unknown step "bwa". Steps: ${STEP_NAMES.join(', ')}`,
    );
  });

  it('answers 501 for a spec step not built yet', () => {
    for (const name of ['site_analysis']) {
      expect(isStepName(name)).toBe(true);
      expect(() => stepDefinition(name)).toThrow(NotImplementedError);
      expect(() => stepDefinition(name)).toThrow(
        `Step ${name} is not implemented on this server yet`,
      );
    }
  });

  it('finds stale steps through the step definitions', () => {
    const h = (...rows: Array<[string, string | null]>) =>
      rows.map(
        ([step, variant], i) =>
          ({ id: i + 1, step_name: step, status: 'completed', variant }) as Job,
      );
    expect(staleStepsOf(h(['qc', 'after'], ['qc', 'before'], ['cutadapt', null]))).toEqual([]);
    // the latest qc (after) read the chain end; cutadapt completed since
    expect(staleStepsOf(h(['qc', 'before'], ['qc', 'after'], ['cutadapt', null]))).toEqual([
      { step: 'qc', job_id: 2, newer_step: 'cutadapt', newer_job_id: 3 },
    ]);
  });
});
