// Command line that writes the FASTA an index is built from, run as the first command of a
// genome build job:
//
//   node fasta-concat-cli.js --fasta FILE [--vector FILE] --out FILE
//
// Copies FASTA then the vector FASTA (each plain or gzip, detected by magic bytes) into one
// plain FASTA, adding a newline between them when the first does not end with one (otherwise
// the vector's header would be glued to the last sequence line). Bytes are streamed, so a 3 GB
// genome passes through constant memory. Exit 0 on success, 1 when reading or writing failed,
// 2 on a bad command line.

import { once } from 'node:events';
import { createReadStream, createWriteStream, WriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isGzipFile } from '@qslam/fastq';
import { parseFlags, requireFlag, runTool } from './cli';
import { formatBytes } from './download-progress';

export const FASTA_CONCAT_USAGE =
  'usage: fasta-concat-cli.js --fasta FILE [--vector FILE] --out FILE';

export interface FastaConcatOptions {
  inputs: string[];
  out: string;
}

const FLAGS = { '--fasta': 'fasta', '--vector': 'vector', '--out': 'out' } as const;

export function parseFastaConcatArgs(argv: readonly string[]): FastaConcatOptions {
  const raw = parseFlags(argv, FLAGS, FASTA_CONCAT_USAGE);
  const fasta = requireFlag(raw.fasta, '--fasta', FASTA_CONCAT_USAGE);
  const out = requireFlag(raw.out, '--out', FASTA_CONCAT_USAGE);
  return { inputs: raw.vector ? [fasta, raw.vector] : [fasta], out };
}

async function copyInto(input: string, out: WriteStream): Promise<{ bytes: number; last: number }> {
  const file = createReadStream(input);
  let stream: Readable = file;
  if (await isGzipFile(input)) {
    const gunzip = createGunzip();
    file.on('error', (err) => gunzip.destroy(err));
    stream = file.pipe(gunzip);
  }
  let bytes = 0;
  let last = -1;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (chunk.length === 0) continue;
    bytes += chunk.length;
    last = chunk[chunk.length - 1];
    if (!out.write(chunk)) await once(out, 'drain');
  }
  return { bytes, last };
}

/** Concatenates the inputs into `out` (written to `out.tmp`, renamed when complete). */
export async function concatFasta(options: FastaConcatOptions): Promise<number> {
  const tmp = `${options.out}.tmp`;
  const out = createWriteStream(tmp);
  let total = 0;
  for (const [i, input] of options.inputs.entries()) {
    const { bytes, last } = await copyInto(input, out);
    total += bytes;
    if (i < options.inputs.length - 1 && bytes > 0 && last !== 0x0a) {
      out.write('\n');
      total++;
    }
    console.log(`fasta-concat: ${input}: ${formatBytes(bytes)}`);
  }
  out.end();
  await once(out, 'finish');
  await rename(tmp, options.out);
  return total;
}

if (require.main === module) {
  void runTool('fasta-concat', async () => {
    const options = parseFastaConcatArgs(process.argv.slice(2));
    const bytes = await concatFasta(options);
    console.log(`fasta-concat: wrote ${options.out} (${formatBytes(bytes)})`);
  }).then((code) => {
    process.exitCode = code;
  });
}
