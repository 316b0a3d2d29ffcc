/**
 * Checks an uploaded R1/R2 pair before a run is created: gzip intact, FASTQ records well
 * formed, the same number of records in both files and matching read names. The files are read
 * in lockstep in constant memory. A problem becomes a 422 naming the file, the record and the
 * line. Plain (uncompressed) FASTQ is accepted and gzip-compressed, so every workspace holds
 * `rawdata/R1.fastq.gz` and `rawdata/R2.fastq.gz`.
 */
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { UnprocessableUploadError } from '@qslam/common';
import {
  FastqFormatError,
  FastqPairError,
  isGzipFile,
  PairSummary,
  validateFastqPair,
} from '@qslam/fastq';

export async function checkReadPair(r1: string, r2: string): Promise<PairSummary> {
  try {
    return await validateFastqPair(r1, r2, { labels: ['R1', 'R2'] });
  } catch (err) {
    if (err instanceof FastqFormatError) {
      throw new UnprocessableUploadError(err.message, {
        file: err.file,
        record: err.record,
        line: err.line,
        reason: err.reason,
      });
    }
    if (err instanceof FastqPairError) {
      throw new UnprocessableUploadError(err.message, { file: 'R1/R2', record: err.record });
    }
    throw err;
  }
}

/** Moves an upload to its final `.fastq.gz` name, compressing it first when it is plain text. */
export async function storeAsGzip(upload: string, dest: string): Promise<void> {
  if (await isGzipFile(upload)) {
    await fs.promises.rename(upload, dest);
    return;
  }
  await pipeline(
    fs.createReadStream(upload),
    zlib.createGzip({ level: 4 }),
    fs.createWriteStream(dest),
  );
  await fs.promises.rm(upload);
}
