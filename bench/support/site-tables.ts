/**
 * Reading the site tables of the speed benchmark for its information section: how many sites
 * each implementation reports per merge distance, and how many of them sit on a true junction of
 * the simulated library (exactly, or within the 3-bp tolerance). Both implementations
 * write tab-separated tables with a header naming `chrom`, `position` (1-based) and `strand`.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface SiteKey {
  chrom: string;
  position: number;
  strand: string;
}

/** Rows of a tab-separated table with a header, as `SiteKey`s; null when the file is absent. */
export function readSiteKeys(file: string): SiteKey[] | null {
  if (!existsSync(file)) return null;
  const [header, ...rows] = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const columns = header.split('\t');
  const at = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column '${name}' in the header`);
    return i;
  };
  const [chrom, position, strand] = [at('chrom'), at('position'), at('strand')];
  return rows.map((line) => {
    const cells = line.split('\t');
    return { chrom: cells[chrom], position: Number(cells[position]), strand: cells[strand] };
  });
}

export interface TruthMatch {
  sites: number;
  /** Sites at a true junction (same chromosome, strand and position). */
  exact: number;
  /** Sites within `tolerance` bp of a true junction on the same strand. */
  near: number;
}

const keyOf = (chrom: string, strand: string, position: number) =>
  `${chrom}\t${strand}\t${position}`;

/** Counts the reported sites that match a true site exactly and within `tolerance` bp. */
export function matchTruth(sites: SiteKey[], truth: SiteKey[], tolerance = 3): TruthMatch {
  const known = new Set(truth.map((t) => keyOf(t.chrom, t.strand, t.position)));
  let exact = 0;
  let near = 0;
  for (const s of sites) {
    if (known.has(keyOf(s.chrom, s.strand, s.position))) exact++;
    for (let delta = -tolerance; delta <= tolerance; delta++) {
      if (known.has(keyOf(s.chrom, s.strand, s.position + delta))) {
        near++;
        break;
      }
    }
  }
  return { sites: sites.length, exact, near };
}
