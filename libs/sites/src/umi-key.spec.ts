import { MAX_NUMERIC_UMI, umiKey, umiText } from './umi-key';

describe('UMI keys', () => {
  it('keeps A/C/G/T/N UMIs of up to 17 bases as distinct numbers and gives their text back', () => {
    const longest = 'T'.repeat(MAX_NUMERIC_UMI);
    const umis = ['A', 'AA', 'AAA', 'C', 'ACGTN', 'NNNNNNNNNN', longest, 'GATTACA'];
    const keys = umis.map(umiKey);
    expect(keys.every((k) => typeof k === 'number' && Number.isSafeInteger(k))).toBe(true);
    expect(new Set(keys).size).toBe(umis.length); // 'A', 'AA', 'AAA' differ: length is kept
    expect(keys.map(umiText)).toEqual(umis);
  });

  it('keeps any other UMI as its text', () => {
    for (const umi of ['T'.repeat(MAX_NUMERIC_UMI + 1), 'ACGTa', 'ACG-T', 'ÄCGT']) {
      expect(umiKey(umi)).toBe(umi);
      expect(umiText(umiKey(umi))).toBe(umi);
    }
  });
});
