/**
 * Streams a multipart `POST /runs` request to disk: text fields into memory (small, limited),
 * files `R1` and `R2` (and the optional `known_sites` BED) straight into the run's incoming folder (never buffered: multi-GB FASTQ
 * files pass through constant memory). Anything unexpected (another file field, a repeated
 * field, a field or file over its limit, a client that disconnects) rejects the upload; the
 * caller removes the incoming folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { Request } from 'express';
import { InvalidInputError, PayloadTooLargeError } from '@qslam/common';

export const READ_FILES = ['R1', 'R2'] as const;
export type ReadFile = (typeof READ_FILES)[number];
/** Every file field a run upload accepts: the read pair plus the optional known-sites BED. */
export const UPLOAD_FILES = [...READ_FILES, 'known_sites'] as const;
export type UploadFile = (typeof UPLOAD_FILES)[number];

export interface ReceivedFile {
  path: string;
  originalName: string;
  bytes: number;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  files: Partial<Record<UploadFile, ReceivedFile>>;
}

const FIELD_LIMIT_BYTES = 1024 * 1024;

export function receiveUpload(
  req: Request,
  dir: string,
  maxFileBytes: number,
): Promise<ReceivedUpload> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    return Promise.reject(
      new InvalidInputError('POST /runs expects multipart/form-data with files R1 and R2'),
    );
  }
  return new Promise((resolve, reject) => {
    const result: ReceivedUpload = { fields: {}, files: {} };
    const writes: Promise<void>[] = [];
    let failed: Error | null = null;
    const fail = (err: Error) => {
      if (failed) return;
      failed = err;
      req.unpipe();
      req.resume();
      reject(err);
    };
    const bb = busboy({
      headers: req.headers,
      limits: { fieldSize: FIELD_LIMIT_BYTES, fields: 200, files: 3, fileSize: maxFileBytes },
    });
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new InvalidInputError(`Form field ${name} is too long`));
      if (name in result.fields)
        return fail(new InvalidInputError(`Form field ${name} given twice`));
      result.fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (!(UPLOAD_FILES as readonly string[]).includes(name) || result.files[name as UploadFile]) {
        stream.resume();
        return fail(
          new InvalidInputError(
            `Unexpected file field "${name}": send files R1 and R2 (and optionally known_sites) once each`,
          ),
        );
      }
      const target = path.join(dir, `${name}.upload`);
      const file: ReceivedFile = { path: target, originalName: info.filename ?? '', bytes: 0 };
      result.files[name as UploadFile] = file;
      stream.on('data', (chunk: Buffer) => (file.bytes += chunk.length));
      stream.on('limit', () =>
        fail(new PayloadTooLargeError(`${name} exceeds the upload limit of ${maxFileBytes} bytes`)),
      );
      writes.push(pipeline(stream, fs.createWriteStream(target)).catch((err: Error) => fail(err)));
    });
    bb.on('filesLimit', () =>
      fail(new InvalidInputError('Only the files R1, R2 and known_sites are accepted')),
    );
    bb.on('fieldsLimit', () => fail(new InvalidInputError('Too many form fields')));
    bb.on('error', (err: Error) =>
      fail(new InvalidInputError(`Malformed multipart body: ${err.message}`)),
    );
    bb.on('close', () => {
      Promise.all(writes)
        .then(() => (failed ? undefined : resolve(result)))
        .catch(fail);
    });
    req.on('aborted', () => fail(new InvalidInputError('The client aborted the upload')));
    req.pipe(bb);
  });
}
