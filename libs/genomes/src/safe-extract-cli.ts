// Command line of the safe tarball extraction, run as a job command:
//
//   node safe-extract-cli.js --archive FILE --dest DIR
//
// Every member of FILE (gzip or plain tar) is checked first (tar-safety.ts); only a clean archive
// is extracted into DIR, which is created if needed. Exit 0 after a complete extraction; 1 when
// the archive is refused (the message names the member and why) or cannot be read or extracted;
// 2 on a bad command line.

import { parseFlags, requireFlag, runTool } from './cli';
import { formatBytes } from './download-progress';
import { safeExtract } from './tar-safety';

export const SAFE_EXTRACT_USAGE = 'usage: safe-extract-cli.js --archive FILE --dest DIR';

export interface SafeExtractCliOptions {
  archive: string;
  dest: string;
}

const FLAGS = { '--archive': 'archive', '--dest': 'dest' } as const;

/** Parses the command line; throws GenomeCliUsageError. */
export function parseSafeExtractArgs(argv: readonly string[]): SafeExtractCliOptions {
  const raw = parseFlags(argv, FLAGS, SAFE_EXTRACT_USAGE);
  return {
    archive: requireFlag(raw.archive, '--archive', SAFE_EXTRACT_USAGE),
    dest: requireFlag(raw.dest, '--dest', SAFE_EXTRACT_USAGE),
  };
}

if (require.main === module) {
  void runTool('safe-extract', async () => {
    const { archive, dest } = parseSafeExtractArgs(process.argv.slice(2));
    console.log(`safe-extract: checking ${archive}`);
    const s = await safeExtract(archive, dest);
    console.log(
      `safe-extract: ${s.members} members (${s.files} files, ${formatBytes(s.bytes)}) ` +
        `extracted into ${dest}`,
    );
  }).then((code) => {
    process.exitCode = code;
  });
}
