/**
 * Reading the end of a (possibly huge) text file without loading it: logs grow to megabytes
 * for long tools, and both `?tail=N` and a failed job's `error_message` need only the end.
 */
import * as fs from 'node:fs';

export async function readTail(
  file: string,
  lines: number,
  maxBytes = 1024 * 1024,
): Promise<string> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const start = size - length;
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    const all = buffer.toString('utf8').split('\n');
    // A window that starts inside the file begins with a cut line (maybe a cut character).
    if (start > 0) all.shift();
    if (all[all.length - 1] === '') all.pop();
    return all.slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}
