/**
 * Parses FastQC's `fastqc_data.txt` into the numbers the lab looks at: total sequences, %GC,
 * sequence length and the pass/warn/fail verdict of every module (`>>Module name<TAB>status`).
 */
export interface FastqcReport {
  total_sequences: number | null;
  poor_quality_sequences: number | null;
  sequence_length: string | null;
  gc_percent: number | null;
  modules: Record<string, 'pass' | 'warn' | 'fail'>;
}

export function parseFastqcData(text: string): FastqcReport {
  const report: FastqcReport = {
    total_sequences: null,
    poor_quality_sequences: null,
    sequence_length: null,
    gc_percent: null,
    modules: {},
  };
  for (const line of text.split(/\r?\n/)) {
    const [key, value] = line.split('\t');
    if (key.startsWith('>>') && key !== '>>END_MODULE' && value) {
      report.modules[key.slice(2)] = value.trim() as 'pass' | 'warn' | 'fail';
    } else if (key === 'Total Sequences') report.total_sequences = Number(value);
    else if (key === 'Sequences flagged as poor quality') {
      report.poor_quality_sequences = Number(value);
    } else if (key === 'Sequence length') report.sequence_length = value;
    else if (key === '%GC') report.gc_percent = Number(value);
  }
  return report;
}
