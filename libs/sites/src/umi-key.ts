// UMIs as numbers while the BAM is read: a UMI of A, C, G, T and N of up to 20 bases is the
// number whose base-6 digits are its bases (A 1, C 2, G 3, T 4, N 5; never a 0 digit, so the
// length is kept), exact below 2^53 and a small integer (no heap number) up to 11 bases, so
// that 1M reads make no strings and the per-fragment UMI maps hash small numbers; any other UMI
// stays its text. Keys are turned back into text once, for the distinct UMIs of each
// fragment, when the scan ends (PositionTable.sorted).

export type UmiKey = number | string;

/** Longest UMI kept as a number: 6^20 < 2^53. */
export const MAX_NUMERIC_UMI = 20;

const DIGIT = new Int8Array(256).fill(-1);
DIGIT[0x41] = 1; // A
DIGIT[0x43] = 2; // C
DIGIT[0x47] = 3; // G
DIGIT[0x54] = 4; // T
DIGIT[0x4e] = 5; // N
const BASES = '-ACGTN';

/** The key of the UMI in bytes b[s, e) (latin1 text). */
export function umiKeyFromBytes(b: Uint8Array, s: number, e: number): UmiKey {
  if (e - s <= MAX_NUMERIC_UMI) {
    let key = 0;
    let i = s;
    for (; i < e; i++) {
      const d = DIGIT[b[i]];
      if (d < 0) break;
      key = key * 6 + d;
    }
    if (i === e) return key;
  }
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
}

/** The key of a UMI given as text. */
export function umiKey(umi: string): UmiKey {
  return umiKeyFromBytes(Buffer.from(umi, 'latin1'), 0, umi.length);
}

/** The UMI's text. */
export function umiText(key: UmiKey): string {
  if (typeof key === 'string') return key;
  let out = '';
  for (let k = key; k > 0;) {
    const d = k % 6;
    out = BASES[d] + out;
    k = (k - d) / 6;
  }
  return out;
}
