import type { Job } from '@qslam/db';
import { NotFoundError } from '@qslam/common';
import {
  implementedSteps,
  isStepName,
  staleStepsOf,
  STEP_NAMES,
  stepDefinition,
} from './step-registry';

describe('step registry', () => {
  it('returns the definition of each implemented step under its own name', () => {
    for (const name of STEP_NAMES) expect(stepDefinition(name).name).toBe(name);
    expect(implementedSteps().map((s) => s.name)).toEqual([...STEP_NAMES]);
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

  it('needs the genome for read_mapping and site_analysis only', () => {
    expect(
      implementedSteps()
        .filter((s) => s.needsGenome)
        .map((s) => s.name),
    ).toEqual(['read_mapping', 'site_analysis']);
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
