import {
  canTransition,
  deriveRunState,
  isActive,
  JOB_STATUSES,
  JOB_TRANSITIONS,
  JobLike,
  JobStatus,
} from './state';

const job = (step_name: string, status: JobStatus): JobLike => ({ step_name, status });
const upload = job('upload', 'completed');

describe('job transitions', () => {
  const allowed: Array<[JobStatus, JobStatus]> = [
    ['pending', 'running'],
    ['pending', 'failed'],
    ['pending', 'killed'],
    ['running', 'completed'],
    ['running', 'failed'],
    ['running', 'killed'],
  ];

  it('allows exactly the transitions of the state table', () => {
    const actual: Array<[JobStatus, JobStatus]> = [];
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) if (canTransition(from, to)) actual.push([from, to]);
    }
    expect(actual).toEqual(allowed);
  });

  it('refuses the illegal ones', () => {
    expect(canTransition('pending', 'completed')).toBe(false);
    expect(canTransition('running', 'pending')).toBe(false);
    expect(canTransition('running', 'running')).toBe(false);
    for (const terminal of ['completed', 'failed', 'killed'] as const) {
      expect(JOB_TRANSITIONS[terminal]).toEqual([]);
      for (const to of JOB_STATUSES) expect(canTransition(terminal, to)).toBe(false);
    }
  });

  it('counts pending and running as active', () => {
    expect(JOB_STATUSES.filter(isActive)).toEqual(['pending', 'running']);
  });
});

describe('deriveRunState', () => {
  it('follows every row of the state table', () => {
    const rows: Array<[string, JobLike[], string, string | null]> = [
      ['no jobs, no data', [], 'pending', null],
      ['uploaded, never ran a step', [upload], 'upload_completed', null],
      ['upload job not completed', [job('upload', 'failed')], 'pending', null],
      ['pending job', [upload, job('qc', 'pending')], 'queued', 'qc'],
      ['running job', [upload, job('cutadapt', 'running')], 'running', 'cutadapt'],
      ['completed job', [upload, job('qc', 'completed')], 'completed', null],
      ['failed job', [upload, job('fastp', 'failed')], 'failed', null],
      ['killed job', [upload, job('qc', 'killed')], 'killed', null],
    ];
    for (const [label, jobs, status, current] of rows) {
      expect([label, deriveRunState(jobs)]).toEqual([label, { status, current_step: current }]);
    }
  });

  it('looks at the latest pipeline job only', () => {
    // completed after an earlier failure
    expect(deriveRunState([upload, job('qc', 'failed'), job('qc', 'completed')])).toEqual({
      status: 'completed',
      current_step: null,
    });
    // an earlier success does not hide a later failure or kill
    expect(deriveRunState([upload, job('qc', 'completed'), job('cutadapt', 'failed')])).toEqual({
      status: 'failed',
      current_step: null,
    });
    expect(deriveRunState([upload, job('qc', 'completed'), job('fastp', 'killed')])).toEqual({
      status: 'killed',
      current_step: null,
    });
    // re-run in progress
    expect(deriveRunState([upload, job('qc', 'completed'), job('umi', 'running')])).toEqual({
      status: 'running',
      current_step: 'umi',
    });
  });

  it('ignores the upload job once a step has run, wherever it sits', () => {
    expect(deriveRunState([job('qc', 'completed'), upload])).toEqual({
      status: 'completed',
      current_step: null,
    });
  });

  it('derives a run without data from its jobs (imported run that ran a step)', () => {
    expect(deriveRunState([job('qc', 'failed')])).toEqual({ status: 'failed', current_step: null });
  });
});
