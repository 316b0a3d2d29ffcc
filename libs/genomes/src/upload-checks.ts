// Checks of the files of POST /genomes, run by the API before it answers, so that an index
// build is never started on a file the tools would choke on (or, worse, index silently):
//
// - FASTA (plain or gzip, gzip read to its end so a truncated file is caught): the first
//   non-empty line is a `>` header with a name, names are unique, every sequence line holds
//   IUPAC nucleotide codes only, every record has bases.
// - Annotation, GTF or GFF3 (plain or gzip): comment lines start with `#`; every other
//   non-empty line has 9 tab-separated columns with integer start <= end and strand + - or .;
//   at least one feature. A GFF3 `##FASTA` section ends the features.
//
// A problem is an UnprocessableUploadError (422) naming the form field, the line and what is
// wrong with it.

import { UnprocessableUploadError } from '@qslam/common';
import { openLines } from './text-lines';

export interface FastaSummary {
  gzip: boolean;
  /** Contig names (the header up to the first whitespace), in file order. */
  contigs: string[];
  bases: number;
}

export interface AnnotationSummary {
  gzip: boolean;
  format: 'gtf' | 'gff3';
  features: number;
}

const NON_IUPAC = /[^ACGTUNRYKMSWBDHVacgtunrykmswbdhv]/;

function problem(field: string, line: number, reason: string): UnprocessableUploadError {
  return new UnprocessableUploadError(`${field}, line ${line}: ${reason}`, {
    file: field,
    line,
    reason,
  });
}

async function eachLine(
  path: string,
  field: string,
  visit: (line: string, number: number) => boolean | void,
): Promise<boolean> {
  const { lines, gzip } = await openLines(path);
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (visit(line, n) === false) break;
    }
  } catch (err) {
    if (err instanceof UnprocessableUploadError) throw err;
    const reason = gzip
      ? `the gzip data is corrupt or truncated (${(err as Error).message})`
      : `cannot be read (${(err as Error).message})`;
    throw problem(field, n + 1, reason);
  }
  return gzip;
}

export async function checkFasta(path: string, field = 'fasta'): Promise<FastaSummary> {
  const contigs: string[] = [];
  const seen = new Set<string>();
  let bases = 0;
  let current: { name: string; line: number; bases: number } | null = null;
  const close = () => {
    if (current && current.bases === 0) {
      throw problem(field, current.line, `contig '${current.name}' has no sequence`);
    }
  };
  const gzip = await eachLine(path, field, (line, n) => {
    if (line.startsWith('>')) {
      close();
      const name = line.slice(1).trim().split(/\s+/)[0] ?? '';
      if (name === '') throw problem(field, n, 'header without a contig name');
      if (seen.has(name)) throw problem(field, n, `contig '${name}' appears twice`);
      seen.add(name);
      contigs.push(name);
      current = { name, line: n, bases: 0 };
      return;
    }
    const seq = line.trim();
    if (seq === '') return;
    if (!current) throw problem(field, n, "not FASTA: the first record must start with '>'");
    const bad = NON_IUPAC.exec(seq);
    if (bad) {
      throw problem(
        field,
        n,
        `'${bad[0]}' is not a nucleotide code (IUPAC: ACGTN and ambiguity codes)`,
      );
    }
    current.bases += seq.length;
    bases += seq.length;
  });
  close();
  if (contigs.length === 0) throw problem(field, 1, 'no FASTA record found (empty file?)');
  return { gzip, contigs, bases };
}

export async function checkAnnotation(
  path: string,
  field = 'annotation',
): Promise<AnnotationSummary> {
  let features = 0;
  let gff3 = false;
  let gtfStyle = 0;
  const gzip = await eachLine(path, field, (line, n) => {
    if (line.startsWith('##gff-version 3')) gff3 = true;
    if (line.startsWith('##FASTA')) return false;
    if (line.trim() === '' || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length !== 9) {
      throw problem(field, n, `expected 9 tab-separated columns (GTF/GFF3), found ${cols.length}`);
    }
    const [seqid, , , start, end, , strand, , attributes] = cols;
    if (seqid === '') throw problem(field, n, 'column 1 (sequence name) is empty');
    if (!/^\d+$/.test(start) || !/^\d+$/.test(end) || Number(start) > Number(end)) {
      throw problem(
        field,
        n,
        `start '${start}' and end '${end}' must be integers with start <= end`,
      );
    }
    if (!['+', '-', '.', '?'].includes(strand)) {
      throw problem(field, n, `column 7 (strand) must be +, - or ., got '${strand}'`);
    }
    if (/\w+ "[^"]*"/.test(attributes)) gtfStyle++;
    features++;
  });
  if (features === 0) throw problem(field, 1, 'no feature lines found (empty annotation?)');
  const format = gff3 || gtfStyle === 0 ? 'gff3' : 'gtf';
  return { gzip, format, features };
}
