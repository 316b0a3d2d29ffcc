// Line-by-line reading of a text file that may be gzip-compressed (detected by its magic
// bytes, not its name), in constant memory. A corrupt or truncated gzip stream rejects the
// iteration with zlib's error, which the checkers turn into a message naming the file.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isGzipFile } from '@qslam/fastq';

export async function openLines(
  path: string,
): Promise<{ lines: AsyncIterable<string>; gzip: boolean }> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path);
  let stream: Readable = file;
  if (gzip) {
    const gunzip = createGunzip();
    file.on('error', (err) => gunzip.destroy(err));
    stream = file.pipe(gunzip);
  }
  return { lines: createInterface({ input: stream, crlfDelay: Infinity }), gzip };
}
