// The record rule: exact names, sequences and qualities for N-only and N+X patterns with the UMI
// on R1 or R2, the too-short rule, header styles, and the error for mates that do not pair.

import { FastqPairError, FastqRecord } from '@qslam/fastq';
import { parseUmiPattern } from './umi-pattern';
import { extractUmiFromPair, nameWithUmi, pairingKeyEnd } from './umi-transform';

const R1: FastqRecord = {
  name: 'sim0:6 1:N:0:1',
  seq: 'TTTTCCCCGGGGAAAA',
  qual: 'ABCDEFGHIJKLMNOP',
};
const R2: FastqRecord = {
  name: 'sim0:6 2:N:0:1',
  seq: 'ACGTACGTACGACTGCGT',
  qual: '0123456789abcdefgh',
};
const N10 = parseUmiPattern('NNNNNNNNNN');
const N6X4 = parseUmiPattern('NNNNNNXXXX');

describe('extractUmiFromPair', () => {
  it('N-only pattern on R2: trims R2, renames both', () => {
    expect(extractUmiFromPair(R1, R2, N10, 'R2', 1)).toEqual({
      umi: 'ACGTACGTAC',
      r1: { name: 'sim0:6_ACGTACGTAC 1:N:0:1', seq: R1.seq, qual: R1.qual },
      r2: { name: 'sim0:6_ACGTACGTAC 2:N:0:1', seq: 'GACTGCGT', qual: 'abcdefgh' },
    });
  });

  it('N+X pattern on R2: X bases are removed but not kept in the UMI', () => {
    expect(extractUmiFromPair(R1, R2, N6X4, 'R2', 1)).toEqual({
      umi: 'ACGTAC',
      r1: { name: 'sim0:6_ACGTAC 1:N:0:1', seq: R1.seq, qual: R1.qual },
      r2: { name: 'sim0:6_ACGTAC 2:N:0:1', seq: 'GACTGCGT', qual: 'abcdefgh' },
    });
  });

  it('N-only pattern on R1: trims R1, R2 keeps its bases', () => {
    expect(extractUmiFromPair(R1, R2, N10, 'R1', 1)).toEqual({
      umi: 'TTTTCCCCGG',
      r1: { name: 'sim0:6_TTTTCCCCGG 1:N:0:1', seq: 'GGAAAA', qual: 'KLMNOP' },
      r2: { name: 'sim0:6_TTTTCCCCGG 2:N:0:1', seq: R2.seq, qual: R2.qual },
    });
  });

  it('N+X pattern on R1 with split N runs', () => {
    const pair = extractUmiFromPair(R1, R2, parseUmiPattern('NNXXNN'), 'R1', 1);
    expect(pair?.umi).toBe('TTCC');
    expect(pair?.r1).toEqual({
      name: 'sim0:6_TTCC 1:N:0:1',
      seq: 'CCGGGGAAAA',
      qual: 'GHIJKLMNOP',
    });
    expect(pair?.r2.name).toBe('sim0:6_TTCC 2:N:0:1');
  });

  it('leaves the input records unchanged', () => {
    const [a, b] = [{ ...R1 }, { ...R2 }];
    extractUmiFromPair(a, b, N10, 'R2', 1);
    expect([a, b]).toEqual([R1, R2]);
  });

  it('drops a pair whose UMI read is shorter than the pattern', () => {
    const short = { name: 'sim0:6 2:N:0:1', seq: 'ACGTACGTA', qual: '012345678' };
    expect(extractUmiFromPair(R1, short, N10, 'R2', 1)).toBeNull();
    // Only the UMI read's length matters: a short R1 is fine when the UMI is on R2.
    const shortR1 = { name: 'sim0:6 1:N:0:1', seq: 'ACG', qual: 'III' };
    expect(extractUmiFromPair(shortR1, R2, N10, 'R2', 1)?.r1.seq).toBe('ACG');
    expect(extractUmiFromPair(shortR1, R2, N10, 'R1', 1)).toBeNull();
  });

  it('keeps a read exactly as long as the pattern, as an empty read', () => {
    const exact = { name: 'r 2:N:0:1', seq: 'ACGTACGTAC', qual: 'IIIIIIIIII' };
    const pair = extractUmiFromPair({ ...R1, name: 'r 1:N:0:1' }, exact, N10, 'R2', 1);
    expect(pair?.r2).toEqual({ name: 'r_ACGTACGTAC 2:N:0:1', seq: '', qual: '' });
  });

  it('handles headers without a comment and old-style /1 /2 mate suffixes', () => {
    const plain = extractUmiFromPair(
      { ...R1, name: 'read7' },
      { ...R2, name: 'read7' },
      N10,
      'R2',
      1,
    );
    expect([plain?.r1.name, plain?.r2.name]).toEqual(['read7_ACGTACGTAC', 'read7_ACGTACGTAC']);
    const r1 = { ...R1, name: 'read7/1' };
    const r2 = { ...R2, name: 'read7/2 extra words' };
    const pair = extractUmiFromPair(r1, r2, N10, 'R2', 1);
    expect([pair?.r1.name, pair?.r2.name]).toEqual([
      'read7_ACGTACGTAC/1',
      'read7_ACGTACGTAC/2 extra words',
    ]);
  });

  it('throws FastqPairError naming the record when the mates do not pair', () => {
    const other = { ...R2, name: 'sim1:6 2:N:0:1' };
    let error: unknown;
    try {
      extractUmiFromPair(R1, other, N10, 'R2', 42);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FastqPairError);
    const e = error as FastqPairError;
    expect(e.record).toBe(42);
    expect(e.message).toBe(
      "read names differ at record 42: R1 has 'sim0:6 1:N:0:1' but R2 has 'sim1:6 2:N:0:1' " +
        '(R1 and R2 must list the same reads in the same order)',
    );
  });

  it('does not take a name prefix for a match', () => {
    const prefix = { ...R2, name: 'sim0:60 2:N:0:1' };
    expect(() => extractUmiFromPair(R1, prefix, N10, 'R2', 3)).toThrow(/record 3/);
    expect(() =>
      extractUmiFromPair({ ...R1, name: 'a/1' }, { ...R2, name: 'a/3' }, N10, 'R2', 1),
    ).toThrow(FastqPairError);
  });
});

describe('read names', () => {
  it('pairingKeyEnd stops at the first space or tab and before a /1 or /2 suffix', () => {
    expect(pairingKeyEnd('sim0:6 1:N:0:1')).toBe(6);
    expect(pairingKeyEnd('sim0:6\tcomment')).toBe(6);
    expect(pairingKeyEnd('read/2')).toBe(4);
    expect(pairingKeyEnd('read/3')).toBe(6);
    expect(pairingKeyEnd('read')).toBe(4);
  });

  it('nameWithUmi inserts _UMI at the key end, keeping the rest byte for byte', () => {
    expect(nameWithUmi('sim0:6 1:N:0:1', 6, 'ACGT')).toBe('sim0:6_ACGT 1:N:0:1');
    expect(nameWithUmi('x\ty  z', 1, 'AC')).toBe('x_AC\ty  z');
    expect(nameWithUmi('x', 1, 'AC')).toBe('x_AC');
  });
});
