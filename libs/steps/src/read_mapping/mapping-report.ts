/**
 * Reading what the `read_mapping` job wrote into summary numbers (pure functions of the files'
 * text, so the unit tests feed them real samtools output).
 *
 * - `aligned.stat`: `samtools flagstat` text. Since samtools 1.13 it has `primary` and `primary
 *   mapped` lines; percentages are taken over primary reads, because `mapped` also counts
 *   supplementary pieces of chimeric reads (common here: short fragments read through into the
 *   far adapter and the LTR) and can exceed the number of reads.
 * - `idxstats.tsv`: `samtools idxstats`: contig, length, mapped records (any kind), unmapped.
 * - `mapq.tsv`: our own count of *primary mapped* reads per (contig, MAPQ), from
 *   `samtools view -F 0x904 | awk` (see read-mapping.step.ts): header `contig mapq reads`, rows
 *   in any order. It gives the MAPQ distribution and the reads per contig that idxstats cannot
 *   (idxstats counts supplementary records too).
 */

/** flagstat lines by label (QC-passed count), e.g. `primary mapped` → 40000. */
export type Flagstat = Record<string, number>;

export function parseFlagstat(text: string): Flagstat {
  const out: Flagstat = {};
  for (const line of text.split('\n')) {
    // "39860 + 0 properly paired (99.65% : N/A)" → label "properly paired"
    const m = /^(\d+) \+ (\d+) (.+?)(?: \(.*\))?$/.exec(line.trim());
    if (m && !(m[3] in out)) out[m[3]] = Number(m[1]);
  }
  if (!('in total' in out)) throw new Error('not samtools flagstat output (no "in total" line)');
  return out;
}

export interface IdxstatsRow {
  contig: string;
  length: number;
  mapped: number;
  unmapped: number;
}

export function parseIdxstats(text: string): IdxstatsRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [contig, length, mapped, unmapped] = line.split('\t');
      if (unmapped === undefined) throw new Error(`bad idxstats line: ${line}`);
      return { contig, length: Number(length), mapped: Number(mapped), unmapped: Number(unmapped) };
    });
}

export interface MapqCount {
  contig: string;
  mapq: number;
  reads: number;
}

export function parseMapqTable(text: string): MapqCount[] {
  const rows: MapqCount[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('contig\t')) continue;
    const [contig, mapq, reads] = line.split('\t');
    if (reads === undefined || !/^\d+$/.test(mapq) || !/^\d+$/.test(reads)) {
      throw new Error(`bad MAPQ table line: ${line}`);
    }
    rows.push({ contig, mapq: Number(mapq), reads: Number(reads) });
  }
  return rows;
}

export interface MapqSummary {
  reads: number;
  /** Reads per MAPQ bin: 0 (multi-mappers placed at random), 1–19, 20–39, ≥ 40. */
  bins: { '0': number; '1-19': number; '20-39': number; '>=40': number };
  median: number | null;
  mean: number | null;
}

/** MAPQ distribution of primary mapped reads, over all contigs. */
export function summarizeMapq(rows: readonly MapqCount[]): MapqSummary {
  const byMapq = new Map<number, number>();
  for (const r of rows) byMapq.set(r.mapq, (byMapq.get(r.mapq) ?? 0) + r.reads);
  const values = [...byMapq.entries()].sort((a, b) => a[0] - b[0]);
  const bins = { '0': 0, '1-19': 0, '20-39': 0, '>=40': 0 };
  let reads = 0;
  let sum = 0;
  for (const [q, n] of values) {
    const bin = q === 0 ? '0' : q < 20 ? '1-19' : q < 40 ? '20-39' : '>=40';
    bins[bin] += n;
    reads += n;
    sum += q * n;
  }
  // The lower median: the MAPQ of read number ceil(reads / 2) in MAPQ order.
  let median: number | null = null;
  let seen = 0;
  for (const [q, n] of values) {
    seen += n;
    if (seen >= Math.ceil(reads / 2)) {
      median = q;
      break;
    }
  }
  return { reads, bins, median, mean: reads > 0 ? round(sum / reads, 2) : null };
}

export interface ContigCount {
  contig: string;
  length: number;
  /** Primary mapped reads (from mapq.tsv). */
  reads: number;
  /** All mapped records, supplementary included (from idxstats). */
  alignments: number;
}

/** How many contigs the summary lists; the rest are summed (idxstats.tsv has them all). */
export const MAX_LISTED_CONTIGS = 100;

export interface MappingReport {
  flagstat: Flagstat;
  idxstats: IdxstatsRow[];
  mapq: MapqCount[];
  /** null when the genome is not known (then vector reads are not reported). */
  vectorContigs: readonly string[] | null;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (n: number, of: number) => (of > 0 ? round((100 * n) / of) : 0);

function contigCounts(report: MappingReport): ContigCount[] {
  const primary = new Map<string, number>();
  for (const r of report.mapq) primary.set(r.contig, (primary.get(r.contig) ?? 0) + r.reads);
  return report.idxstats
    .filter((row) => row.contig !== '*')
    .map((row) => ({
      contig: row.contig,
      length: row.length,
      reads: primary.get(row.contig) ?? 0,
      alignments: row.mapped,
    }))
    .filter((c) => c.reads > 0 || c.alignments > 0);
}

/** The `read_mapping` summary numbers (without the aligner and file links). */
export function summarizeMapping(report: MappingReport): Record<string, unknown> {
  const f = report.flagstat;
  const reads = f['primary'] ?? f['in total'] - (f['secondary'] ?? 0) - (f['supplementary'] ?? 0);
  const mapped = f['primary mapped'] ?? f['mapped'];
  const paired = f['paired in sequencing'] ?? 0;
  const proper = f['properly paired'] ?? 0;
  const contigs = contigCounts(report);
  const listed = [...contigs]
    .sort((a, b) => b.reads - a.reads)
    .slice(0, MAX_LISTED_CONTIGS)
    .map((c) => c.contig);
  const others = contigs.filter((c) => !listed.includes(c.contig));
  let vector: Record<string, unknown> | null = null;
  if (report.vectorContigs) {
    const names = new Set(report.vectorContigs);
    const on = contigs.filter((c) => names.has(c.contig));
    const vectorReads = on.reduce((n, c) => n + c.reads, 0);
    vector = {
      contigs: [...report.vectorContigs],
      reads: vectorReads,
      reads_pct: pct(vectorReads, mapped),
      alignments: on.reduce((n, c) => n + c.alignments, 0),
    };
  }
  return {
    pairs: f['read1'] ?? Math.floor(paired / 2),
    reads,
    mapped,
    mapped_pct: pct(mapped, reads),
    properly_paired: proper,
    properly_paired_pct: pct(proper, paired),
    mate_on_other_contig: f['with mate mapped to a different chr'] ?? 0,
    singletons: f['singletons'] ?? 0,
    supplementary: f['supplementary'] ?? 0,
    secondary: f['secondary'] ?? 0,
    mapq: summarizeMapq(report.mapq),
    vector,
    contigs: contigs.filter((c) => listed.includes(c.contig)),
    other_contigs:
      others.length > 0
        ? { contigs: others.length, reads: others.reduce((n, c) => n + c.reads, 0) }
        : null,
  };
}

/** Aligner and version from the job log (bwa and bwa-mem2 end with `[main] Version:` / `CMD:`). */
export function alignerFromLog(log: string): { name: string; version: string } | null {
  const version = /^\[main\] Version: (\S+)/m.exec(log);
  const cmd = /^\[main\] CMD: (\S+)/m.exec(log);
  if (!version || !cmd) return null;
  return { name: cmd[1].split('/').pop() ?? cmd[1], version: version[1] };
}
