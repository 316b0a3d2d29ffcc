// UMIs as numbers while the BAM is read: a UMI of A, C, G, T and N of up to 17 bases is the
// number 1 followed by one octal digit per base (A 0, C 1, G 2, T 3, N 4), exact below 2^53,
// so that 1M reads make no strings and the per-fragment UMI maps hash small numbers; any other
// UMI stays its text. Keys are turned back into text once, for the distinct UMIs of each
// fragment, when the scan ends (PositionTable.sorted).

export type UmiKey = number | string;

/** Longest UMI kept as a number: 1 + 3·17 = 52 bits. */
export const MAX_NUMERIC_UMI = 17;

const DIGIT = new Int8Array(256).fill(-1);
DIGIT[0x41] = 0; // A
DIGIT[0x43] = 1; // C
DIGIT[0x47] = 2; // G
DIGIT[0x54] = 3; // T
DIGIT[0x4e] = 4; // N
const BASES = 'ACGTN';

/** The key of the UMI in bytes b[s, e) (latin1 text). */
export function umiKeyFromBytes(b: Uint8Array, s: number, e: number): UmiKey {
  if (e - s <= MAX_NUMERIC_UMI) {
    let key = 1;
    let i = s;
    for (; i < e; i++) {
      const d = DIGIT[b[i]];
      if (d < 0) break;
      key = key * 8 + d;
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
  for (let k = key; k > 1; k = Math.floor(k / 8)) out = BASES[k % 8] + out;
  return out;
}
