// UMI pattern parsing: accepted umi_tools string patterns and the message for each rejection.

import { UmiPatternError, UmiUsageError } from './umi-errors';
import { MAX_UMI_PATTERN_LENGTH, parseUmiPattern, umiOf } from './umi-pattern';

describe('parseUmiPattern: valid patterns', () => {
  it('reads an N-only pattern as one run', () => {
    expect(parseUmiPattern('NNNNNNNNNN')).toEqual({
      text: 'NNNNNNNNNN',
      length: 10,
      umiLength: 10,
      runs: [[0, 10]],
    });
  });

  it('counts X positions in the length but not in the UMI', () => {
    expect(parseUmiPattern('NNNNNNXXXX')).toEqual({
      text: 'NNNNNNXXXX',
      length: 10,
      umiLength: 6,
      runs: [[0, 6]],
    });
  });

  it('keeps separate runs for N positions split by X', () => {
    const p = parseUmiPattern('XXNNNXXNN');
    expect(p.length).toBe(9);
    expect(p.umiLength).toBe(5);
    expect(p.runs).toEqual([
      [2, 5],
      [7, 9],
    ]);
  });

  it('accepts a single N and the longest allowed pattern', () => {
    expect(parseUmiPattern('N').umiLength).toBe(1);
    const longest = 'N'.repeat(MAX_UMI_PATTERN_LENGTH);
    expect(parseUmiPattern(longest).length).toBe(MAX_UMI_PATTERN_LENGTH);
  });
});

describe('parseUmiPattern: invalid patterns', () => {
  const cases: [string, string, RegExp][] = [
    ['empty', '', /the pattern is empty/],
    ['a cell barcode position', 'CCCCNNNN', /'C' at position 1; only N \(UMI base\) and X/],
    ['lower case', 'NNNNnnnn', /'n' at position 5/],
    ['a regex pattern', '(?P<umi_1>.{8})', /'\(' at position 1/],
    ['a space', 'NNNN NNNN', /' ' at position 5/],
    ['no N at all', 'XXXX', /it has no N \(UMI\) position/],
    ['too long', 'N'.repeat(MAX_UMI_PATTERN_LENGTH + 1), /longer than 64 characters/],
  ];

  it.each(cases)('rejects %s', (_what, pattern, message) => {
    let error: unknown;
    try {
      parseUmiPattern(pattern);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UmiPatternError);
    expect(error).toBeInstanceOf(UmiUsageError);
    const e = error as UmiPatternError;
    expect(e.pattern).toBe(pattern);
    expect(e.message).toMatch(/^invalid UMI pattern '/);
    expect(e.message).toMatch(message);
  });
});

describe('umiOf', () => {
  it('takes the N positions of the read start, concatenated', () => {
    const seq = 'ACGTACGTAC' + 'GGGG';
    expect(umiOf(seq, parseUmiPattern('NNNNNNNNNN'))).toBe('ACGTACGTAC');
    expect(umiOf(seq, parseUmiPattern('NNNNNNXXXX'))).toBe('ACGTAC');
    expect(umiOf(seq, parseUmiPattern('XXNNNXXNN'))).toBe('GTATA');
  });
});
