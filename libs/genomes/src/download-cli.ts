// Command line of the resumable downloader, run as a job command:
//
//   node download-cli.js --url URL --out FILE [--sha256 HEX]
//
// Progress lines go to stdout (the job log), at most one every 2 s. Run again after a failure
// and it resumes from FILE.part. Exit 0 when FILE is complete (and matches --sha256), 1 when the
// download failed (reason on stderr; FILE is not created), 2 on a bad command line.

import { GenomeCliUsageError } from './errors';
import { parseFlags, requireFlag, runTool } from './cli';
import { downloadFile, normalizeSha256 } from './download';
import { checkDownloadUrl } from './http-get';

export const DOWNLOAD_USAGE = 'usage: download-cli.js --url URL --out FILE [--sha256 HEX]';

export interface DownloadCliOptions {
  url: string;
  out: string;
  sha256?: string;
}

const FLAGS = { '--url': 'url', '--out': 'out', '--sha256': 'sha256' } as const;

/** Parses and checks the command line; throws GenomeCliUsageError. */
export function parseDownloadArgs(argv: readonly string[]): DownloadCliOptions {
  const raw = parseFlags(argv, FLAGS, DOWNLOAD_USAGE);
  const url = requireFlag(raw.url, '--url', DOWNLOAD_USAGE);
  const out = requireFlag(raw.out, '--out', DOWNLOAD_USAGE);
  try {
    checkDownloadUrl(url);
    const sha256 = raw.sha256 === undefined ? undefined : normalizeSha256(raw.sha256);
    return { url, out, ...(sha256 === undefined ? {} : { sha256 }) };
  } catch (err) {
    throw new GenomeCliUsageError(`${(err as Error).message}\n${DOWNLOAD_USAGE}`);
  }
}

if (require.main === module) {
  void runTool('download', async () => {
    const options = parseDownloadArgs(process.argv.slice(2));
    await downloadFile({ url: options.url, dest: options.out, sha256: options.sha256 });
  }).then((code) => {
    process.exitCode = code;
  });
}
