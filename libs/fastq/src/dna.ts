// Nucleotide sequence helpers shared by the simulator and tests.
//
// Sequences are plain JS strings of one-byte characters. Reverse complement goes through a byte
// lookup table into a Buffer and back (latin1), which is several times faster than building a
// string character by character and handles every IUPAC code (R<->Y, K<->M, B<->V, D<->H; S, W
// and N are their own complements) in upper and lower case. Random bases are drawn 16 per 32-bit
// random number.

import { Rng } from './random';

export const BASES = 'ACGT';

const COMPLEMENT = (() => {
  const table = new Uint8Array(256);
  for (let i = 0; i < 256; i++) table[i] = i;
  const pairs = ['AT', 'CG', 'UA', 'RY', 'KM', 'BV', 'DH', 'SS', 'WW', 'NN'];
  for (const [a, b] of pairs) {
    for (const [x, y] of [
      [a, b],
      [a.toLowerCase(), b.toLowerCase()],
    ]) {
      table[x.charCodeAt(0)] = y.charCodeAt(0);
      if (x !== 'U' && x !== 'u') table[y.charCodeAt(0)] = x.charCodeAt(0);
    }
  }
  return table;
})();

/** Reverse complement of a nucleotide sequence (IUPAC aware, case preserving). */
export function reverseComplement(seq: string): string {
  const n = seq.length;
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[n - 1 - i] = COMPLEMENT[seq.charCodeAt(i) & 0xff];
  return out.toString('latin1');
}

/** `length` uniformly random bases from ACGT. */
export function randomBases(rng: Rng, length: number): string {
  const out = Buffer.allocUnsafe(length);
  const codes = [0x41, 0x43, 0x47, 0x54];
  for (let i = 0; i < length; i += 16) {
    let bits = rng.uint32();
    const stop = Math.min(length, i + 16);
    for (let j = i; j < stop; j++) {
      out[j] = codes[bits & 3];
      bits >>>= 2;
    }
  }
  return out.toString('latin1');
}
