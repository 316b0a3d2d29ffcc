// A streaming BAM reader that decodes only what the site engine needs, in constant memory.
//
// A BAM file is a BGZF stream: concatenated gzip members of at most 64 KiB each, so Node's
// gunzip inflates it as one stream (on the libuv thread pool, in parallel with the decoding here).
// Two sources are supported and give identical records: `direct` inflates the file itself;
// `samtools` reads `samtools view -u -f 0x40 -@ N` (uncompressed BAM of R1 records only; its BGZF
// members are stored blocks, cheap to "inflate"). Measured on 1M synthetic pairs (2M records,
// 2 shared cores; see the report in bench/ or the commit message): `direct` ≈ 1.9 s and
// `samtools` ≈ 2.3 s for the whole analysis, so `direct` is the default — samtools must inflate
// the same data and pipe it, and the R2 records it filters out are skipped here after reading one
// flag field anyway. `samtools` stays available (--reader samtools) for BAMs with features this
// reader does not decode (CRAM input).
//
// Per record the visitor receives a reused BamRecord: the fixed fields, the CIGAR ops, the first
// `fivePrimeBases` bases of the read's 5' end (SEQ start for `+`, SEQ end reverse-complemented for
// `-`), the MC (mate CIGAR) tag and, on request, the read name. SEQ and QUAL are never copied.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { SiteInputError, SiteToolError } from './errors';
import { zTagCigarReferenceLength } from './bam-aux';
import { UmiKey, umiKeyFromBytes } from './umi-key';

export interface BamReference {
  name: string;
  length: number;
}

export type BamSource = 'direct' | 'samtools';

export interface BamReadOptions {
  /**
   * The LTR remainder (A, C, G, T, N; '' for none): each record tells whether the read's first
   * bases match it (remainderMatch).
   */
  ltrRemainder: string;
  /** Decode the UMI suffix of each read name (`name_UMI`, the umi step's convention). */
  umiFromNames: boolean;
  /** Pass only records with flag 0x40 (first in pair) to the visitor. */
  firstMatesOnly: boolean;
  source?: BamSource;
  /** Threads for samtools (source `samtools`). */
  threads?: number;
  /** Called every `progressEvery` records read. */
  onProgress?: (records: number) => void;
  progressEvery?: number;
}

/** CIGAR operation codes as stored in BAM (MIDNSHP=X). */
export const CIGAR_OPS = 'MIDNSHP=X';
export const enum CigarOp {
  M = 0,
  I = 1,
  D = 2,
  N = 3,
  S = 4,
  H = 5,
  P = 6,
  EQ = 7,
  X = 8,
}

/** One decoded record; the reader reuses the object, copy what you keep. */
export class BamRecord {
  refId = -1;
  /** 0-based leftmost aligned reference position. */
  pos = -1;
  mapq = 0;
  flag = 0;
  nextRefId = -1;
  /** 0-based. */
  nextPos = -1;
  tlen = 0;
  /** Packed CIGAR ops (length << 4 | op); only the first `cigarCount` are valid. */
  cigar = new Uint32Array(64);
  cigarCount = 0;
  seqLength = 0;
  /** Reused view of `cigar` / `cigarCount`. */
  readonly cigarView: { ops: Uint32Array; count: number } = { ops: this.cigar, count: 0 };
  /**
   * Whether the read's first bases in read orientation (SEQ start for `+`, SEQ end
   * reverse-complemented for `-`) equal the LTR remainder with at most one mismatch, N matching
   * anything; null when that cannot be told (no remainder, SEQ absent or shorter than it).
   */
  remainderMatch: boolean | null = null;
  /** Reference length of the mate's alignment from the MC tag; null when absent or malformed. */
  mateReferenceLength: number | null = null;
  /**
   * With `umiFromNames`: the read name's suffix after its last '_' (null without one) as a
   * UmiKey (umi-key.ts: a number for A/C/G/T/N UMIs of up to 17 bases), decoded from the bytes of
   * the name, which is never made a string: 2M names of garbage per 1M pairs.
   */
  umi: UmiKey | null = null;
}

/**
 * Little-endian int32 / uint16 at `p` of the record bytes (in bounds: the caller checked the
 * record's size). Buffer's readInt32LE and readUInt16LE, with their own checks, took twice the
 * time of the whole record loop here (1.9M records: 190 ms against 100 ms).
 */
function int32(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

function uint16(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}

/** BAM's 4-bit base codes of A, C, G, T, N ('=ACMGRSVTWYHKDBN'). */
const BASE_CODE: Record<string, number> = { A: 1, C: 2, G: 4, T: 8, N: 15 };
const CODE_N = 15;
/** Complement of a 4-bit base code; ambiguity codes other than N become N (match anything). */
const COMPLEMENT_CODE = Uint8Array.from({ length: 16 }, (_, c) =>
  c === 1 ? 8 : c === 8 ? 1 : c === 2 ? 4 : c === 4 ? 2 : CODE_N,
);

/** The remainder as 4-bit codes (uppercase A, C, G, T, N; anything else is an N). */
function remainderCodes(remainder: string): Uint8Array {
  return Uint8Array.from(remainder.toUpperCase(), (c) => BASE_CODE[c] ?? CODE_N);
}

/** Result of a whole read. */
export interface BamReadResult {
  references: BamReference[];
  /** All records in the stream (for `samtools`, only the R1 records samtools passed). */
  records: number;
}

/**
 * Reads `file` and calls `visit` for each record (R1 only with firstMatesOnly). `onHeader` is
 * called once, before the first record.
 */
export async function readBam(
  file: string,
  options: BamReadOptions,
  onHeader: (refs: BamReference[]) => void,
  visit: (record: BamRecord) => void,
): Promise<BamReadResult> {
  await checkReadable(file);
  const parser = new BamStreamParser(file, options, onHeader, visit);
  const source = options.source ?? 'direct';
  if (source === 'samtools') await feedFromSamtools(file, options.threads ?? 1, parser);
  else await feed(fs.createReadStream(file, { highWaterMark: 1 << 20 }), file, parser);
  parser.end();
  return { references: parser.references, records: parser.records };
}

async function checkReadable(file: string): Promise<void> {
  let fd: fs.promises.FileHandle;
  try {
    fd = await fs.promises.open(file, 'r');
  } catch (err) {
    throw new SiteInputError(file, `cannot read: ${(err as Error).message}`);
  }
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fd.read(head, 0, 4, 0);
    if (bytesRead < 4 || head[0] !== 0x1f || head[1] !== 0x8b) {
      throw new SiteInputError(file, 'not a BAM file (no BGZF/gzip header)');
    }
  } finally {
    await fd.close();
  }
}

async function feed(input: Readable, file: string, parser: BamStreamParser): Promise<void> {
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 18 });
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) parser.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof SiteInputError) throw err;
    throw new SiteInputError(file, `corrupt BGZF/BAM data: ${(err as Error).message}`);
  }
}

async function feedFromSamtools(file: string, threads: number, parser: BamStreamParser) {
  const args = ['view', '-u', '-f', '0x40', '-@', String(Math.max(0, threads - 1)), file];
  const child = spawn('samtools', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (err) => reject(new SiteToolError('samtools', null, err.message)));
    child.on('close', (code) => resolve(code));
  });
  try {
    await feed(child.stdout, file, parser);
  } catch (err) {
    child.kill();
    await exited.catch(() => undefined);
    if (stderr) throw new SiteInputError(file, `samtools view: ${stderr.trim()}`);
    throw err;
  }
  const code = await exited;
  if (code !== 0)
    throw new SiteInputError(file, `samtools view: ${stderr.trim() || `exit ${code}`}`);
}

/** Incremental decoder of an uncompressed BAM byte stream. */
export class BamStreamParser {
  references: BamReference[] = [];
  records = 0;
  private buf: Buffer = Buffer.alloc(0);
  private off = 0;
  private headerDone = false;
  private readonly record = new BamRecord();
  private readonly progressEvery: number;
  private readonly remainder: Uint8Array;

  constructor(
    private readonly file: string,
    private readonly options: BamReadOptions,
    private readonly onHeader: (refs: BamReference[]) => void,
    private readonly visit: (record: BamRecord) => void,
  ) {
    this.progressEvery = options.progressEvery ?? 1_000_000;
    this.remainder = remainderCodes(options.ltrRemainder);
  }

  push(chunk: Buffer): void {
    if (this.headerDone && this.off < this.buf.length) {
      // Complete the record cut by the chunk boundary from the head of the chunk, so that only
      // that record's bytes are copied, not the whole chunk.
      const tail = this.buf.subarray(this.off);
      const need = tail.length < 4 ? 4 - tail.length : 4 + tail.readInt32LE(0) - tail.length;
      if (tail.length < 4 || need <= 0 || need > chunk.length) {
        this.buf = Buffer.concat([tail, chunk]);
        this.off = 0;
        this.parseRecords();
        return;
      }
      this.buf = Buffer.concat([tail, chunk.subarray(0, need)]);
      this.off = 0;
      this.parseRecords();
      chunk = chunk.subarray(need);
    }
    this.buf =
      this.off < this.buf.length ? Buffer.concat([this.buf.subarray(this.off), chunk]) : chunk;
    this.off = 0;
    if (!this.headerDone && !this.parseHeader()) return;
    this.parseRecords();
  }

  end(): void {
    if (!this.headerDone) throw new SiteInputError(this.file, 'truncated BAM: incomplete header');
    if (this.off < this.buf.length) {
      throw new SiteInputError(
        this.file,
        `truncated BAM: partial record after record ${this.records}`,
      );
    }
  }

  /**
   * For a part of the file that starts at a record (the parallel scan): the references come from
   * the header read beforehand, and the bytes pushed begin with a record.
   */
  startAtRecord(refs: BamReference[]): void {
    this.references = refs;
    this.headerDone = true;
  }

  /** Returns false while the header is incomplete. */
  private parseHeader(): boolean {
    const header = parseBamHeader(this.file, this.buf);
    if (header === null) return false;
    this.references = header.references;
    this.headerDone = true;
    this.off = header.end;
    this.onHeader(header.references);
    return true;
  }

  private parseRecords(): void {
    const b = this.buf;
    const end = b.length;
    let p = this.off;
    while (p + 4 <= end) {
      const blockSize = int32(b, p);
      if (blockSize < 32) {
        throw new SiteInputError(
          this.file,
          `corrupt BAM record ${this.records + 1} (size ${blockSize})`,
        );
      }
      if (p + 4 + blockSize > end) break;
      this.records++;
      if (this.records % this.progressEvery === 0) this.options.onProgress?.(this.records);
      const flag = uint16(b, p + 18);
      if (!this.options.firstMatesOnly || (flag & 0x40) !== 0) {
        this.decode(b, p + 4, p + 4 + blockSize, flag);
        this.visit(this.record);
      }
      p += 4 + blockSize;
    }
    this.off = p;
  }

  private decode(b: Buffer, s: number, e: number, flag: number): void {
    const r = this.record;
    r.flag = flag;
    r.refId = int32(b, s);
    r.pos = int32(b, s + 4);
    const lName = b[s + 8];
    r.mapq = b[s + 9];
    const nCigar = uint16(b, s + 12);
    const lSeq = int32(b, s + 16);
    r.nextRefId = int32(b, s + 20);
    r.nextPos = int32(b, s + 24);
    r.tlen = int32(b, s + 28);
    const nameStart = s + 32;
    r.umi = this.options.umiFromNames ? umiFromName(b, nameStart, nameStart + lName - 1) : null;
    let p = nameStart + lName;
    if (r.cigar.length < nCigar) r.cigarView.ops = r.cigar = new Uint32Array(nCigar * 2);
    const cigar = r.cigar;
    for (let i = 0; i < nCigar; i++, p += 4)
      cigar[i] = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    r.cigarCount = r.cigarView.count = nCigar;
    r.seqLength = lSeq;
    r.remainderMatch = remainderMatch(b, p, lSeq, this.remainder, (flag & 0x10) !== 0);
    p += ((lSeq + 1) >> 1) + lSeq;
    r.mateReferenceLength = zTagCigarReferenceLength(b, p, e, 0x4d, 0x43); // 'M','C'
  }
}

/**
 * The references of a BAM header at the start of the inflated bytes `b`, and where the header
 * ends (the first record); null while `b` holds only part of the header.
 */
export function parseBamHeader(
  file: string,
  b: Buffer,
): { references: BamReference[]; end: number } | null {
  if (b.length < 12) return null;
  if (b.toString('latin1', 0, 4) !== 'BAM\x01') {
    throw new SiteInputError(file, 'not a BAM file (no BAM magic after inflating)');
  }
  const lText = b.readInt32LE(4);
  let p = 8 + lText;
  if (b.length < p + 4) return null;
  const nRef = b.readInt32LE(p);
  p += 4;
  const references: BamReference[] = [];
  for (let i = 0; i < nRef; i++) {
    if (b.length < p + 4) return null;
    const lName = b.readInt32LE(p);
    if (b.length < p + 4 + lName + 4) return null;
    const name = b.toString('latin1', p + 4, p + 4 + lName - 1);
    const length = b.readInt32LE(p + 4 + lName);
    references.push({ name, length });
    p += 8 + lName;
  }
  return { references, end: p };
}

/** See BamRecord.remainderMatch; compares the 4-bit codes of SEQ with those of the remainder. */
function remainderMatch(
  b: Buffer,
  seqStart: number,
  lSeq: number,
  remainder: Uint8Array,
  reverse: boolean,
): boolean | null {
  const n = remainder.length;
  if (n === 0 || lSeq < n) return null;
  let mismatches = 0;
  for (let k = 0; k < n; k++) {
    const i = reverse ? lSeq - 1 - k : k;
    const byte = b[seqStart + (i >> 1)];
    let code = (i & 1) === 0 ? byte >> 4 : byte & 0xf;
    if (reverse) code = COMPLEMENT_CODE[code];
    const want = remainder[k];
    if (code !== want && code !== CODE_N && want !== CODE_N && ++mismatches > 1) return false;
  }
  return true;
}

/** The name's bytes after its last '_' in [s, e) as a UmiKey; null when there is none. */
function umiFromName(b: Buffer, s: number, e: number): UmiKey | null {
  for (let i = e - 1; i >= s; i--) {
    if (b[i] === 0x5f) return i === e - 1 ? null : umiKeyFromBytes(b, i + 1, e);
  }
  return null;
}
