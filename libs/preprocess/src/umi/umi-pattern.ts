// UMI patterns in umi_tools "string" style (`umi_tools extract --bc-pattern`).
//
// A pattern is read from the 5' end of one read: `N` is a UMI base, `X` a base removed from the
// read without being kept in the UMI. `NNNNNNNNNN` takes a 10-base UMI; `NNNNNNXXXX` takes six
// UMI bases and discards four spacer bases. Cell barcodes (`C`) and regex patterns of umi_tools
// are not supported; anything but N and X is rejected. The N positions are stored as runs so
// that the usual single-run pattern is one `slice` per read.

import { UmiPatternError } from './umi-errors';

/** Longest accepted pattern; UMIs are a few to a few dozen bases. */
export const MAX_UMI_PATTERN_LENGTH = 64;

export interface UmiPattern {
  /** The pattern as given, e.g. 'NNNNNNXXXX'. */
  readonly text: string;
  /** Bases removed from the start of the read (the pattern length). */
  readonly length: number;
  /** Number of N positions: the length of every UMI. */
  readonly umiLength: number;
  /** Runs of consecutive N positions as [start, end) offsets into the read. */
  readonly runs: readonly (readonly [number, number])[];
}

/** Parses and checks a umi_tools string pattern; throws UmiPatternError. */
export function parseUmiPattern(text: string): UmiPattern {
  if (text.length === 0) throw new UmiPatternError(text, 'the pattern is empty');
  if (text.length > MAX_UMI_PATTERN_LENGTH) {
    const reason = `longer than ${MAX_UMI_PATTERN_LENGTH} characters`;
    throw new UmiPatternError(text, reason);
  }
  const runs: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === 'N') {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === i) last[1] = i + 1;
      else runs.push([i, i + 1]);
    } else if (c !== 'X') {
      const reason =
        `'${c}' at position ${i + 1}; only N (UMI base) and X (base removed but not kept) ` +
        'are allowed, e.g. NNNNNNNNNN or NNNNNNXXXX';
      throw new UmiPatternError(text, reason);
    }
  }
  if (runs.length === 0) throw new UmiPatternError(text, 'it has no N (UMI) position');
  const umiLength = runs.reduce((sum, [start, end]) => sum + end - start, 0);
  return { text, length: text.length, umiLength, runs };
}

/** The UMI of a sequence at least `pattern.length` long: its N positions, concatenated. */
export function umiOf(seq: string, pattern: UmiPattern): string {
  const runs = pattern.runs;
  if (runs.length === 1) return seq.slice(runs[0][0], runs[0][1]);
  let umi = '';
  for (const [start, end] of runs) umi += seq.slice(start, end);
  return umi;
}
