import { execFileSync } from 'node:child_process';

export interface Read {
  name: string;
  seq: string;
  qual: string;
}

/** All records of a (gzipped) FASTQ file; test data is small. */
export function readFastq(path: string): Read[] {
  const text = execFileSync('gzip', ['-dc', path], { maxBuffer: 1 << 30 }).toString();
  const lines = text.split('\n');
  const reads: Read[] = [];
  for (let i = 0; i + 3 < lines.length; i += 4) {
    reads.push({ name: lines[i].slice(1).split(' ')[0], seq: lines[i + 1], qual: lines[i + 3] });
  }
  return reads;
}
