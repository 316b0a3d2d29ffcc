// BAM aux fields, as the site engine needs them: the reference length of the CIGAR held in a
// Z-type tag (the mate's CIGAR, MC), read from the record bytes without making strings.

/** Value size of the fixed-size aux types A c C s S i I f, by type byte (0: not fixed). */
const FIXED_AUX_SIZE = new Uint8Array(256);
for (const [type, size] of [
  ['A', 1],
  ['c', 1],
  ['C', 1],
  ['s', 2],
  ['S', 2],
  ['i', 4],
  ['I', 4],
  ['f', 4],
] as const)
  FIXED_AUX_SIZE[type.charCodeAt(0)] = size;

/** Reference length of CIGAR text in b[s, q) (M D N = X count); null when malformed or empty. */
function cigarBytesReferenceLength(b: Buffer, s: number, q: number): number | null {
  let total = 0;
  let len = 0;
  let digits = 0;
  for (let i = s; i < q; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) {
      len = len * 10 + (c - 48);
      digits++;
      continue;
    }
    if (digits === 0) return null;
    if (c === 77 || c === 68 || c === 78 || c === 61 || c === 88) total += len;
    else if (c !== 73 && c !== 83 && c !== 72 && c !== 80) return null;
    len = 0;
    digits = 0;
  }
  return digits === 0 && q > s ? total : null;
}

/** Reference length of the CIGAR held in the Z-type aux tag `t0t1` in [p, e), or null. */
export function zTagCigarReferenceLength(
  b: Buffer,
  p: number,
  e: number,
  t0: number,
  t1: number,
): number | null {
  while (p + 3 <= e) {
    const type = b[p + 2];
    const isTag = b[p] === t0 && b[p + 1] === t1;
    p += 3;
    const fixed = FIXED_AUX_SIZE[type];
    if (fixed !== 0) {
      p += fixed;
    } else if (type === 0x5a || type === 0x48) {
      // Z, H: NUL-terminated
      let q = p;
      while (q < e && b[q] !== 0) q++;
      if (isTag && type === 0x5a) return cigarBytesReferenceLength(b, p, q);
      p = q + 1;
    } else if (type === 0x42) {
      // B: subtype, int32 count, values
      const size = FIXED_AUX_SIZE[b[p]] || 1;
      p += 5 + size * b.readInt32LE(p + 1);
    } else {
      return null; // unknown type: cannot skip safely
    }
  }
  return null;
}
