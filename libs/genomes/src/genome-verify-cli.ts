// Command line of the genome check, the last command of every build and install job:
//
//   node genome-verify-cli.js --dir DIR --out FILE [--vector-contigs NAME,NAME]
//
// Writes the manifest of DIR (genome-verify.ts) as JSON to FILE and a summary to stdout (the
// job log). Exit 0 when DIR holds a complete index, 1 when it does not (the reason on stderr),
// 2 on a bad command line.

import { writeFile } from 'node:fs/promises';
import { binaryOnPath } from './binary-on-path';
import { parseFlags, requireFlag, runTool } from './cli';
import { verifyGenomeDir } from './genome-verify';

export const GENOME_VERIFY_USAGE =
  'usage: genome-verify-cli.js --dir DIR --out FILE [--vector-contigs NAME,NAME]';

export interface GenomeVerifyCliOptions {
  dir: string;
  out: string;
  vectorContigs?: string[];
}

const FLAGS = { '--dir': 'dir', '--out': 'out', '--vector-contigs': 'vector' } as const;

export function parseGenomeVerifyArgs(argv: readonly string[]): GenomeVerifyCliOptions {
  const raw = parseFlags(argv, FLAGS, GENOME_VERIFY_USAGE);
  const dir = requireFlag(raw.dir, '--dir', GENOME_VERIFY_USAGE);
  const out = requireFlag(raw.out, '--out', GENOME_VERIFY_USAGE);
  const vectorContigs = raw.vector?.split(',').filter(Boolean);
  return { dir, out, ...(vectorContigs ? { vectorContigs } : {}) };
}

if (require.main === module) {
  void runTool('genome-verify', async () => {
    const options = parseGenomeVerifyArgs(process.argv.slice(2));
    const manifest = await verifyGenomeDir(options.dir, {
      vectorContigs: options.vectorContigs,
      bwaMem2Available: binaryOnPath('bwa-mem2') !== null,
    });
    await writeFile(options.out, JSON.stringify(manifest, null, 2));
    console.log(
      `genome-verify: ${manifest.index_kind} index ${manifest.index_prefix} ` +
        `(${manifest.index_kinds.join(', ')}), ${manifest.contigs.length} contigs, ` +
        `${manifest.total_length} bp, fasta ${manifest.fasta ?? 'none'}, ` +
        `annotation ${manifest.annotation ?? 'none'}, vector contigs [${manifest.vector_contigs.join(', ')}]`,
    );
    for (const warning of manifest.warnings) console.log(`genome-verify: warning: ${warning}`);
  }).then((code) => {
    process.exitCode = code;
  });
}
