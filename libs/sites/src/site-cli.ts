// Command line front end of the site-analysis engine, run by the `site_analysis` step as a job
// subprocess:
//
//   node .../libs/sites/src/site-cli.js --bam FILE --out-dir DIR [--annotation GTF|GFF3[.gz]]
//     [--vector-contig NAME]... [--known-sites BED] [--umi] [--min-mapq N] [--max-leading-clip N]
//     [--ltr-remainder SEQ] [--merge-distance N] [--max-merge-distance N] [--min-fragments N]
//     [--min-reads N] [--promoter-left N] [--promoter-right N] [--enhancer-left N] [--threads N]
//     [--reader direct|samtools] [--parallel-min-bytes N]
//
// DIR is the staging workspace root; bam2bed/ and bed2peak/ are written below it. Progress on
// stderr. Exit status: 0 success; 1 an input is missing or malformed (the message names the file
// and line); 2 a usage error. This is the only place that turns errors into messages.

import { analyzeSites } from './analyze-sites';
import { SiteInputError, SiteToolError, SiteUsageError } from './errors';
import { SiteAnalysisOptions } from './site-options';

export const SITE_CLI_USAGE =
  'usage: site-cli.js --bam FILE --out-dir DIR [--annotation FILE] [--vector-contig NAME]... ' +
  '[--known-sites BED] [--umi] [--min-mapq N] [--max-leading-clip N] [--ltr-remainder SEQ] ' +
  '[--merge-distance N] [--max-merge-distance N] [--min-fragments N] [--min-reads N] ' +
  '[--promoter-left N] [--promoter-right N] [--enhancer-left N] [--threads N] [--reader direct|samtools] ' +
  '[--parallel-min-bytes N]';

type NumericKey =
  | 'minMapq'
  | 'maxLeadingClip'
  | 'mergeDistance'
  | 'maxMergeDistance'
  | 'minFragments'
  | 'minReads'
  | 'promoterLeft'
  | 'promoterRight'
  | 'enhancerLeft'
  | 'threads'
  | 'parallelMinBytes';

const NUMERIC: Record<string, NumericKey> = {
  '--min-mapq': 'minMapq',
  '--max-leading-clip': 'maxLeadingClip',
  '--merge-distance': 'mergeDistance',
  '--max-merge-distance': 'maxMergeDistance',
  '--min-fragments': 'minFragments',
  '--min-reads': 'minReads',
  '--promoter-left': 'promoterLeft',
  '--promoter-right': 'promoterRight',
  '--enhancer-left': 'enhancerLeft',
  '--threads': 'threads',
  '--parallel-min-bytes': 'parallelMinBytes',
};

const TEXT: Record<string, 'bam' | 'outDir' | 'annotation' | 'knownSites' | 'ltrRemainder'> = {
  '--bam': 'bam',
  '--out-dir': 'outDir',
  '--annotation': 'annotation',
  '--known-sites': 'knownSites',
  '--ltr-remainder': 'ltrRemainder',
};

export function parseSiteCliArgs(argv: string[]): SiteAnalysisOptions {
  const o: Partial<SiteAnalysisOptions> = {};
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--umi') {
      o.umi = true;
      continue;
    }
    const value = argv[++i];
    // --ltr-remainder '' (no remainder) is the one flag whose value may be empty.
    if (value === undefined || (value === '' && flag !== '--ltr-remainder')) {
      throw new SiteUsageError(`missing value for ${flag}`);
    }
    if (flag === '--vector-contig') {
      (o.vectorContigs ??= []).push(value);
      continue;
    }
    if (seen.has(flag)) throw new SiteUsageError(`${flag} given twice`);
    seen.add(flag);
    if (flag in NUMERIC) {
      if (!/^\d+$/.test(value))
        throw new SiteUsageError(`${flag} needs a non-negative integer, got '${value}'`);
      o[NUMERIC[flag]] = Number(value);
    } else if (flag in TEXT) {
      o[TEXT[flag]] = value;
    } else if (flag === '--reader') {
      if (value !== 'direct' && value !== 'samtools')
        throw new SiteUsageError(`--reader must be direct or samtools`);
      o.reader = value;
    } else {
      throw new SiteUsageError(`unknown argument ${flag}`);
    }
  }
  if (o.bam === undefined) throw new SiteUsageError('missing --bam');
  if (o.outDir === undefined) throw new SiteUsageError('missing --out-dir');
  return o as SiteAnalysisOptions;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof SiteUsageError ? 2 : 1;
}

function messageFor(err: unknown): string {
  if (err instanceof SiteUsageError) return `site_analysis: ${err.message}\n${SITE_CLI_USAGE}`;
  if (err instanceof SiteInputError || err instanceof SiteToolError)
    return `site_analysis: ${err.message}`;
  return `site_analysis: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}

async function main(): Promise<void> {
  const options = parseSiteCliArgs(process.argv.slice(2));
  const { summary, files } = await analyzeSites({
    ...options,
    onProgress: (m) => console.error(m),
  });
  const primary = summary.per_d.find((p) => p.d === summary.primary_d);
  console.log(
    `site_analysis: ${summary.r1_records} R1 records, ${primary?.kept_sites ?? 0} sites at d=${summary.primary_d}, ` +
      `${files.length} files in ${summary.seconds.total.toFixed(1)}s`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(messageFor(err));
    process.exitCode = exitCodeFor(err);
  });
}
