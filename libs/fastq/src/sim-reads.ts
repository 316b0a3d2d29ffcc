// Building the bases of simulated qsLAM-PCR reads from a planned molecule.
//
// The molecule is written 5'->3' as R1 reads it (DOMAIN.md):
//   r1Seq + ltrRemainder + host + revcomp(umi + r2Seq)
// (mispriming products lack r1Seq + ltrRemainder; reads into the vector have them, followed by
// the vector body instead of host DNA). R1 is the first readLength bases of the
// molecule and R2 the first readLength bases of its reverse complement, i.e.
//   umi + r2Seq + revcomp(host) + ...
// When the molecule is shorter than a read, the read runs through the other end's adapter into
// the generic Illumina adapter start and then A's. Host DNA comes from the genome: on '+' it is
// genome[P .. P+L-1] (1-based, inclusive) starting at the junction P; on '-' it is the reverse
// complement of genome[P-L+1 .. P], so R1's first host base is again the junction P. Error-free
// read templates are built once per molecule; sequencing errors are applied per read pair by
// jumping between error positions with geometric gaps, so error-free bases cost nothing.

import { BASES, reverseComplement } from './dna';
import { FastqRecord } from './fastq-parser';
import { Rng } from './random';
import { Contig, ILLUMINA_ADAPTER, MISPRIMED, SimMolecule } from './sim-types';

/** The constant parts of every molecule. */
export interface ReadLayout {
  r1Seq: string;
  ltrRemainder: string;
  r2Seq: string;
  readLength: number;
}

/** Per-base error and quality model of the sequencer. */
export interface SequencerModel {
  errorRate: number;
  lowQualityRate: number;
}

const HIGH_QUALITY = 'I';

/** The host DNA of a molecule, 5'->3' from the junction as R1 reads it. */
export function hostSequence(contig: Contig, m: SimMolecule): string {
  if (m.strand === '+') return contig.seq.slice(m.position - 1, m.position - 1 + m.hostLength);
  return reverseComplement(contig.seq.slice(m.position - m.hostLength, m.position));
}

/** The whole molecule 5'->3' as R1 reads it. */
export function moleculeSequence(host: string, m: SimMolecule, layout: ReadLayout): string {
  const ltr = m.site !== MISPRIMED ? layout.r1Seq + layout.ltrRemainder : '';
  return ltr + host + reverseComplement(m.umi + layout.r2Seq);
}

/** The first `length` bases of a strand, run through into adapter + A's when it is short. */
export function readThrough(strand: string, length: number): string {
  if (strand.length >= length) return strand.slice(0, length);
  const padded = strand + ILLUMINA_ADAPTER;
  if (padded.length >= length) return padded.slice(0, length);
  return padded + 'A'.repeat(length - padded.length);
}

/** Error-free R1 and R2 bases of a molecule. */
export function readTemplates(molecule: string, readLength: number): [string, string] {
  return [readThrough(molecule, readLength), readThrough(reverseComplement(molecule), readLength)];
}

function substitute(rng: Rng, base: number): number {
  const index = BASES.indexOf(String.fromCharCode(base));
  const shift = index < 0 ? rng.int(0, 3) : index + rng.int(1, 3);
  return BASES.charCodeAt(shift % 4);
}

/** Sequences one read: substitutions at `errorRate` (low quality there), a few lower scores. */
export function sequenceRead(
  rng: Rng,
  name: string,
  template: string,
  model: SequencerModel,
): FastqRecord {
  const n = template.length;
  const low = model.lowQualityRate;
  const err = model.errorRate;
  let seq: Buffer | undefined;
  let qual: Buffer | undefined;
  // Event positions of a Bernoulli process, visited by geometric jumps (Infinity when rate 0).
  for (let i = rng.geometric(low); i < n; i += 1 + rng.geometric(low)) {
    qual ??= Buffer.from(highQuality(n), 'latin1');
    qual[i] = 33 + rng.int(20, 32);
  }
  for (let i = rng.geometric(err); i < n; i += 1 + rng.geometric(err)) {
    seq ??= Buffer.from(template, 'latin1');
    qual ??= Buffer.from(highQuality(n), 'latin1');
    seq[i] = substitute(rng, seq[i]);
    qual[i] = 33 + rng.int(8, 20);
  }
  return {
    name,
    seq: seq === undefined ? template : seq.toString('latin1'),
    qual: qual === undefined ? highQuality(n) : qual.toString('latin1'),
  };
}

const highQualityCache = new Map<number, string>();

function highQuality(length: number): string {
  let q = highQualityCache.get(length);
  if (q === undefined) {
    q = HIGH_QUALITY.repeat(length);
    highQualityCache.set(length, q);
  }
  return q;
}
