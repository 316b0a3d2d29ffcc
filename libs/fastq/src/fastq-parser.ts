// Synchronous, push-based FASTQ parser working directly on Buffer chunks.
//
// The reader feeds it whatever chunks the (possibly gunzipped) stream delivers; the parser splits
// lines with Buffer.indexOf (memchr speed), validates every line with byte lookup tables instead
// of regexes, and only converts the three text lines of a record to strings once they are known to
// be valid. A line cut by a chunk boundary is kept as a small copied carry buffer and joined with
// the next chunk, so memory stays bounded by one chunk plus one line. It is strictly 4-line FASTQ
// (Illumina style): wrapped multi-line records are reported as a missing '+' line. CRLF endings
// are accepted, and blank lines are tolerated only at the very end of the file.

import { FastqFormatError } from './errors';

/** One FASTQ record; `name` is the whole header line without the leading '@'. */
export interface FastqRecord {
  name: string;
  seq: string;
  qual: string;
}

/** Longest line accepted; a longer one means the input is not line-oriented FASTQ. */
export const MAX_FASTQ_LINE = 16 * 1024 * 1024;

const AT = 0x40;
const PLUS = 0x2b;
const LF = 0x0a;
const CR = 0x0d;
const LINE_NAMES = ['header', 'sequence', "'+'", 'quality'];

/** 1 for bytes allowed in a sequence line: IUPAC nucleotide codes (either case) and '.'. */
const SEQ_OK = (() => {
  const table = new Uint8Array(256);
  for (const c of 'ACGTURYSWKMBDHVN') {
    table[c.charCodeAt(0)] = 1;
    table[c.toLowerCase().charCodeAt(0)] = 1;
  }
  table['.'.charCodeAt(0)] = 1;
  return table;
})();

function describeByte(byte: number): string {
  return byte > 0x20 && byte < 0x7f
    ? `'${String.fromCharCode(byte)}'`
    : `0x${byte.toString(16).padStart(2, '0')}`;
}

/** Parses FASTQ text pushed in arbitrary chunks; call `end()` after the last chunk. */
export class FastqParser {
  /** Complete records parsed so far. */
  records = 0;
  /** Lines consumed so far (1-based number of the last line seen). */
  lines = 0;
  private state = 0;
  private name = '';
  private seq = '';
  private seqLength = 0;
  private carry: Buffer | null = null;
  private blankLine = 0;

  constructor(private readonly label: string) {}

  /** Parses all complete lines of `chunk`, appending finished records to `out`. */
  push(chunk: Buffer, out: FastqRecord[]): void {
    let pos = 0;
    if (this.carry !== null) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.appendCarry(chunk);
        return;
      }
      const joined = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = null;
      this.line(joined, 0, joined.length, out, false);
      pos = nl + 1;
    }
    const length = chunk.length;
    while (pos < length) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) {
        this.appendCarry(chunk.subarray(pos));
        return;
      }
      this.line(chunk, pos, nl, out, false);
      pos = nl + 1;
    }
  }

  /** Finishes the input: parses a last line without newline and rejects a truncated record. */
  end(out: FastqRecord[]): void {
    if (this.carry !== null) {
      const last = this.carry;
      this.carry = null;
      this.line(last, 0, last.length, out, true);
    }
    if (this.state !== 0) {
      const after = LINE_NAMES[this.state - 1];
      this.fail(this.lines + 1, `truncated record: file ends after the ${after} line`);
    }
  }

  /** Builds the error for the record currently being parsed. */
  error(line: number, reason: string): FastqFormatError {
    return new FastqFormatError(this.label, this.records + 1, line, reason);
  }

  private fail(line: number, reason: string): never {
    throw this.error(line, reason);
  }

  private appendCarry(piece: Buffer): void {
    const size = (this.carry?.length ?? 0) + piece.length;
    if (size > MAX_FASTQ_LINE) {
      this.fail(this.lines + 1, `line longer than ${MAX_FASTQ_LINE} bytes (not a FASTQ file?)`);
    }
    this.carry = this.carry === null ? Buffer.from(piece) : Buffer.concat([this.carry, piece]);
  }

  private line(buf: Buffer, start: number, end: number, out: FastqRecord[], last: boolean): void {
    if (end > start && buf[end - 1] === CR) end--;
    const lineNo = ++this.lines;
    switch (this.state) {
      case 0:
        this.header(buf, start, end, lineNo);
        break;
      case 1:
        this.sequence(buf, start, end, lineNo);
        break;
      case 2:
        if (end === start || buf[start] !== PLUS) {
          this.fail(lineNo, "third line of the record does not start with '+'");
        }
        this.state = 3;
        break;
      default:
        this.quality(buf, start, end, lineNo, last);
        out.push({ name: this.name, seq: this.seq, qual: buf.toString('latin1', start, end) });
        this.records++;
        this.state = 0;
    }
  }

  private header(buf: Buffer, start: number, end: number, lineNo: number): void {
    if (end === start) {
      if (this.blankLine === 0) this.blankLine = lineNo;
      return;
    }
    if (this.blankLine !== 0) this.fail(this.blankLine, 'empty line between records');
    if (buf[start] !== AT) {
      this.fail(lineNo, `header line does not start with '@' (found ${describeByte(buf[start])})`);
    }
    const first = buf[start + 1];
    if (end === start + 1 || first === 0x20 || first === 0x09) {
      this.fail(lineNo, 'header line has an empty read name');
    }
    this.name = buf.toString('latin1', start + 1, end);
    this.state = 1;
  }

  private sequence(buf: Buffer, start: number, end: number, lineNo: number): void {
    for (let i = start; i < end; i++) {
      if (SEQ_OK[buf[i]] === 0) {
        const what = describeByte(buf[i]);
        this.fail(lineNo, `invalid sequence character ${what} at position ${i - start + 1}`);
      }
    }
    this.seq = buf.toString('latin1', start, end);
    this.seqLength = end - start;
    this.state = 2;
  }

  private quality(buf: Buffer, start: number, end: number, lineNo: number, last: boolean): void {
    const length = end - start;
    if (length !== this.seqLength) {
      const cut = last && length < this.seqLength ? 'truncated record: ' : '';
      const detail = `quality length ${length} differs from sequence length ${this.seqLength}`;
      this.fail(lineNo, cut + detail);
    }
    for (let i = start; i < end; i++) {
      const q = buf[i];
      if (q < 0x21 || q > 0x7e) {
        this.fail(
          lineNo,
          `invalid quality character ${describeByte(q)} at position ${i - start + 1}`,
        );
      }
    }
  }
}
