// BGZF random access for the parallel BAM scan: a BAM is a series of BGZF blocks (gzip members
// of at most 64 KiB, each announcing its own size), a position in it is a virtual offset
// (compressed offset of a block << 16 | offset inside the inflated block), and its .bai index
// holds, per reference, the virtual offset of the first record of every 16 kb window (the
// "linear index"). Those offsets are record starts, which is what a split of the file into parts
// that can be decoded independently needs. Nothing here trusts the index blindly: a part ends
// exactly where the next one starts only when the index matches the BAM (bam-scan.ts checks).

import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { SiteInputError } from './errors';

/** A virtual offset: the block's offset in the file and the byte offset inside its inflated data. */
export interface VirtualOffset {
  block: number;
  within: number;
}

export const compareOffsets = (a: VirtualOffset, b: VirtualOffset): number =>
  a.block - b.block || a.within - b.within;

/** The fixed 18-byte BGZF block header: gzip magic, FLG.FEXTRA, XLEN 6, subfield 'BC' of 2. */
const HEADER_SIZE = 18;
const TRAILER_SIZE = 8;

/** Total size of the BGZF block starting at `p` in `b`, or null when it is not a BGZF header. */
export function bgzfBlockSize(b: Buffer, p: number): number | null {
  if (p + HEADER_SIZE > b.length) return null;
  if (b[p] !== 0x1f || b[p + 1] !== 0x8b || b[p + 2] !== 8 || (b[p + 3] & 4) === 0) return null;
  if (b.readUInt16LE(p + 10) !== 6 || b[p + 12] !== 0x42 || b[p + 13] !== 0x43) return null;
  if (b.readUInt16LE(p + 14) !== 2) return null;
  return b.readUInt16LE(p + 16) + 1;
}

/**
 * Inflates one complete BGZF block `b[p, p + size)`, checking its length and CRC-32 (the checks
 * gunzip makes), and returns the data.
 */
export function inflateBgzfBlock(file: string, b: Buffer, p: number, size: number): Buffer {
  const isize = b.readUInt32LE(p + size - 4);
  const crc = b.readUInt32LE(p + size - 8);
  let data: Buffer;
  try {
    data =
      isize === 0
        ? Buffer.alloc(0)
        : // One output buffer of the announced size (the default 16 KiB chunks are concatenated).
          zlib.inflateRawSync(b.subarray(p + HEADER_SIZE, p + size - TRAILER_SIZE), {
            chunkSize: Math.max(isize, 64),
          });
  } catch (err) {
    throw new SiteInputError(file, `corrupt BGZF block at byte ${p}: ${(err as Error).message}`);
  }
  if (data.length !== isize || zlib.crc32(data) !== crc) {
    throw new SiteInputError(file, `corrupt BGZF block at byte ${p}: length or CRC mismatch`);
  }
  return data;
}

const READ_SIZE = 4 << 20;

/**
 * Calls `onData` with the inflated bytes from virtual offset `start` up to `end` (exclusive;
 * null = the end of the file), block by block, reading the file in 4 MiB pieces, with the file
 * offset of the block they come from; `onData` returns false to stop. Synchronous: the parallel
 * scan runs it in worker threads.
 */
export function inflateRange(
  file: string,
  start: VirtualOffset,
  end: VirtualOffset | null,
  onData: (data: Buffer, block: number) => boolean | void,
): void {
  const fd = fs.openSync(file, 'r');
  try {
    let piece = Buffer.alloc(0);
    let pieceAt = start.block; // file offset of piece[0]
    let p = 0;
    for (;;) {
      const at = pieceAt + p;
      if (end !== null && at > end.block) return;
      if (p + HEADER_SIZE > piece.length || p + bgzfSizeOrThrow(file, piece, p) > piece.length) {
        const rest = piece.subarray(p);
        const next = Buffer.allocUnsafe(rest.length + READ_SIZE);
        rest.copy(next);
        const n = fs.readSync(fd, next, rest.length, READ_SIZE, at + rest.length);
        if (n === 0) {
          if (rest.length === 0 && end === null) return;
          throw new SiteInputError(file, `truncated BGZF block at byte ${at}`);
        }
        piece = next.subarray(0, rest.length + n);
        pieceAt = at;
        p = 0;
        continue;
      }
      const size = bgzfSizeOrThrow(file, piece, p);
      let data = inflateBgzfBlock(file, piece, p, size);
      if (end !== null && at === end.block) data = data.subarray(0, end.within);
      if (at === start.block) data = data.subarray(start.within);
      p += size;
      if (data.length > 0 && onData(data, at) === false) return;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function bgzfSizeOrThrow(file: string, b: Buffer, p: number): number {
  const size = bgzfBlockSize(b, p);
  if (size === null) throw new SiteInputError(file, `not a BGZF block at byte ${p}`);
  return size;
}

/** Reads a virtual offset stored as a little-endian uint64 at `p`. */
function readVirtualOffset(b: Buffer, p: number): VirtualOffset {
  const lo = b.readUInt32LE(p);
  const hi = b.readUInt32LE(p + 4);
  return { block: hi * 65536 + (lo >>> 16), within: lo & 0xffff };
}

/**
 * The distinct non-zero virtual offsets of a .bai file's linear index, sorted; null when the file
 * is missing or not a BAI (the caller then reads the BAM in one part).
 */
export function readLinearIndex(bai: string): VirtualOffset[] | null {
  let b: Buffer;
  try {
    b = fs.readFileSync(bai);
  } catch {
    return null;
  }
  if (b.length < 8 || b.toString('latin1', 0, 4) !== 'BAI\x01') return null;
  const offsets: VirtualOffset[] = [];
  try {
    let p = 4;
    const nRef = b.readInt32LE(p);
    p += 4;
    for (let r = 0; r < nRef; r++) {
      const nBin = b.readInt32LE(p);
      p += 4;
      for (let i = 0; i < nBin; i++) p += 8 + 16 * b.readInt32LE(p + 4);
      const nIntv = b.readInt32LE(p);
      p += 4;
      for (let i = 0; i < nIntv; i++, p += 8) {
        const v = readVirtualOffset(b, p);
        if (v.block > 0 || v.within > 0) offsets.push(v);
      }
    }
  } catch {
    return null; // RangeError from a truncated index
  }
  offsets.sort(compareOffsets);
  return offsets.filter((v, i) => i === 0 || compareOffsets(v, offsets[i - 1]) !== 0);
}

/**
 * Split points for `parts` parts of about equal compressed size: record starts from the linear
 * index after `first` (the first record), nearest to each k/parts of `fileSize`. Fewer points
 * when the index is too coarse; none for one part.
 */
export function splitPoints(
  offsets: readonly VirtualOffset[],
  first: VirtualOffset,
  fileSize: number,
  parts: number,
): VirtualOffset[] {
  const candidates = offsets.filter((v) => compareOffsets(v, first) > 0);
  const points: VirtualOffset[] = [];
  for (let k = 1; k < parts && candidates.length > 0; k++) {
    const target = (fileSize * k) / parts;
    let best = -1;
    for (let i = 0; i < candidates.length; i++) {
      const v = candidates[i];
      const last = points[points.length - 1];
      if (last !== undefined && compareOffsets(v, last) <= 0) continue;
      if (best < 0 || Math.abs(v.block - target) < Math.abs(candidates[best].block - target))
        best = i;
    }
    if (best >= 0) points.push(candidates[best]);
  }
  return points;
}
