// The record-level rule of UMI extraction, as pure functions (the streaming tool calls these).
//
// It follows `umi_tools extract`: the pattern's bases are cut from the 5' end of the UMI read
// (sequence and qualities), and `_UMI` is appended to the first token of BOTH mates' headers,
// the rest of the header (Illumina comment) is kept unchanged:
//   @sim0:6 2:N:0:1 / ACGTACGTACGACTGC...  ->  @sim0:6_ACGTACGTAC 2:N:0:1 / GACTGC...
// One deliberate difference: for old-style mate names (`@X/1`, `@X/2`) the UMI goes before the
// mate suffix (`@X_UMI/1`), not after it as umi_tools writes (`@X/1_UMI`). BWA strips only a
// trailing /1 or /2 and refuses pairs whose names then differ, so umi_tools' form would break
// read mapping; ours gives the same BAM name `X_UMI` for both naming styles.

import { FastqPairError, FastqRecord } from '@qslam/fastq';
import { UmiPattern, umiOf } from './umi-pattern';

/** Which mate carries the UMI at its 5' end. */
export type UmiRead = 'R1' | 'R2';

export const UMI_READS: readonly UmiRead[] = ['R1', 'R2'];

/** A pair after extraction, with the UMI that was put into both names. */
export interface UmiExtractedPair {
  r1: FastqRecord;
  r2: FastqRecord;
  umi: string;
}

const SPACE = 0x20;
const TAB = 0x09;
const SLASH = 0x2f;

/**
 * End of a header's pairing key: the first whitespace-delimited token without a trailing
 * '/1' or '/2' (the same key as `pairingKey` of @qslam/fastq). The UMI is inserted here.
 */
export function pairingKeyEnd(name: string): number {
  let end = name.length;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      end = i;
      break;
    }
  }
  if (end >= 2 && name.charCodeAt(end - 2) === SLASH) {
    const mate = name.charCodeAt(end - 1);
    if (mate === 0x31 || mate === 0x32) return end - 2;
  }
  return end;
}

/** The header with `_umi` inserted at `keyEnd` (from pairingKeyEnd). */
export function nameWithUmi(name: string, keyEnd: number, umi: string): string {
  return keyEnd === name.length
    ? `${name}_${umi}`
    : `${name.slice(0, keyEnd)}_${umi}${name.slice(keyEnd)}`;
}

/** The error for mates whose names do not pair; `record` is 1-based. */
export function mateNameError(r1: FastqRecord, r2: FastqRecord, record: number): FastqPairError {
  const reason =
    `read names differ at record ${record}: R1 has '${r1.name}' but R2 has '${r2.name}' ` +
    '(R1 and R2 must list the same reads in the same order)';
  return new FastqPairError(['R1', 'R2'], record, reason);
}

/**
 * Extracts the UMI of one pair. Returns null when the UMI read is shorter than the pattern
 * (the pair is dropped); throws FastqPairError when the mates' names do not pair.
 */
export function extractUmiFromPair(
  r1: FastqRecord,
  r2: FastqRecord,
  pattern: UmiPattern,
  read: UmiRead,
  record: number,
): UmiExtractedPair | null {
  const end1 = pairingKeyEnd(r1.name);
  const end2 = pairingKeyEnd(r2.name);
  if (end1 !== end2 || !r1.name.startsWith(r2.name.slice(0, end2))) {
    throw mateNameError(r1, r2, record);
  }
  const carrier = read === 'R1' ? r1 : r2;
  if (carrier.seq.length < pattern.length) return null;
  const umi = umiOf(carrier.seq, pattern);
  const cut = pattern.length;
  const trimmed = { name: '', seq: carrier.seq.slice(cut), qual: carrier.qual.slice(cut) };
  const other = read === 'R1' ? r2 : r1;
  const renamed = { name: '', seq: other.seq, qual: other.qual };
  trimmed.name = nameWithUmi(carrier.name, read === 'R1' ? end1 : end2, umi);
  renamed.name = nameWithUmi(other.name, read === 'R1' ? end2 : end1, umi);
  return read === 'R1' ? { r1: trimmed, r2: renamed, umi } : { r1: renamed, r2: trimmed, umi };
}
