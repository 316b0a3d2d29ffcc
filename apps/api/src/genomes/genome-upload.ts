/**
 * Streams a multipart `POST /genomes` request to disk: text fields (`name`, `vector_contigs`,
 * `source`) into memory, files `fasta`, `annotation` and `vector` straight into an incoming
 * folder (never buffered). Anything unexpected (another file field, a repeated field, a file
 * over the limit, a client that disconnects) rejects the upload; the caller removes the folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { Request } from 'express';
import { InvalidInputError, PayloadTooLargeError } from '@qslam/common';

export const GENOME_FILES = ['fasta', 'annotation', 'vector'] as const;
export type GenomeFileField = (typeof GENOME_FILES)[number];

export interface GenomeUpload {
  fields: Record<string, string>;
  files: Partial<Record<GenomeFileField, { path: string; originalName: string }>>;
}

const FIELD_LIMIT_BYTES = 64 * 1024;

export function receiveGenomeUpload(
  req: Request,
  dir: string,
  maxFileBytes: number,
): Promise<GenomeUpload> {
  if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    return Promise.reject(
      new InvalidInputError(
        'POST /genomes expects multipart/form-data with name, fasta and annotation',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const result: GenomeUpload = { fields: {}, files: {} };
    const writes: Promise<void>[] = [];
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe();
      req.resume();
      reject(err);
    };
    const bb = busboy({
      headers: req.headers,
      limits: { fieldSize: FIELD_LIMIT_BYTES, fields: 20, files: 3, fileSize: maxFileBytes },
    });
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new InvalidInputError(`Form field ${name} is too long`));
      if (name in result.fields) {
        return fail(new InvalidInputError(`Form field ${name} given twice`));
      }
      result.fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      const field = name as GenomeFileField;
      if (!GENOME_FILES.includes(field) || result.files[field]) {
        stream.resume();
        return fail(
          new InvalidInputError(
            `Unexpected file field "${name}": send fasta, annotation and optionally vector, once each`,
          ),
        );
      }
      const target = path.join(dir, `${field}.upload`);
      result.files[field] = { path: target, originalName: info.filename ?? '' };
      stream.on('limit', () =>
        fail(new PayloadTooLargeError(`${name} exceeds the upload limit of ${maxFileBytes} bytes`)),
      );
      writes.push(pipeline(stream, fs.createWriteStream(target)).catch((err: Error) => fail(err)));
    });
    bb.on('filesLimit', () =>
      fail(new InvalidInputError('At most three files (fasta, annotation, vector)')),
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
