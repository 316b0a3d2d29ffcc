// Directional UMI clustering as in umi_tools (Smith, Heger & Sudbery 2017, "directional"):
// UMI a absorbs b when they differ at one base and count(a) ≥ 2·count(b) − 1 (b looks like a PCR
// or sequencing error of a). Clusters are found by walking the directed edges from the
// highest-count UMI not yet reached; their number is the count of molecules. Neighbours are found
// by looking up the 1-mismatch variants of each UMI (length × 4 lookups), never by comparing all
// pairs.
//
// Before that, within ONE fragment (same site and breakpoint), UMIs up to two substitutions apart
// are collapsed by the same directional rule (collapseFragmentUmis). Independent per-read errors
// make 2-error copies of a molecule's UMI (≈ C(10,2)·e² per read: at e = 0.6 % one per ~600
// reads), so at high depth one-mismatch clustering alone counts a single-cell clone as 2-3
// molecules and the UMI count grows with sequencing depth. A second real molecule with the same
// shear point AND a UMI within two mismatches is far rarer (two random 10-mers are ≤ 2 apart with
// probability 4·10⁻⁴), so this only removes errors.

const ALPHABET = ['A', 'C', 'G', 'T', 'N'];

/** UMIs of `counts` one substitution away from `umi`. */
function neighbours(umi: string, counts: ReadonlyMap<string, number>): string[] {
  const found: string[] = [];
  for (let i = 0; i < umi.length; i++) {
    const head = umi.slice(0, i);
    const tail = umi.slice(i + 1);
    for (const base of ALPHABET) {
      if (base === umi[i]) continue;
      const variant = head + base + tail;
      if (counts.has(variant)) found.push(variant);
    }
  }
  return found;
}

/** Number of directional clusters among distinct UMIs with their read counts. */
export function countDirectionalClusters(counts: ReadonlyMap<string, number>): number {
  if (counts.size <= 1) return counts.size;
  const order = [...counts.keys()].sort(
    (a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  const visited = new Set<string>();
  let clusters = 0;
  for (const start of order) {
    if (visited.has(start)) continue;
    clusters++;
    visited.add(start);
    const queue = [start];
    while (queue.length > 0) {
      const a = queue.pop()!;
      const ca = counts.get(a)!;
      for (const b of neighbours(a, counts)) {
        if (!visited.has(b) && ca >= 2 * counts.get(b)! - 1) {
          visited.add(b);
          queue.push(b);
        }
      }
    }
  }
  return clusters;
}

/** Adds the counts of `from` into `into`. */
export function addUmiCounts(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [umi, n] of from) into.set(umi, (into.get(umi) ?? 0) + n);
}

function hammingAtMost(a: string, b: string, max: number): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++)
    if (a.charCodeAt(i) !== b.charCodeAt(i) && ++d > max) return false;
  return true;
}

/**
 * Directional collapse of the UMIs of one fragment at Hamming distance ≤ `maxDistance` (default
 * 2): UMI a absorbs b when they are that close and count(a) ≥ 2·count(b) − 1, transitively from
 * the highest count. Returns each cluster's top UMI with the summed reads of the cluster.
 * All pairs are compared: a fragment carries few distinct UMIs (one molecule and its errors).
 */
export function collapseFragmentUmis(
  counts: ReadonlyMap<string, number>,
  maxDistance = 2,
): Map<string, number> {
  if (counts.size <= 1) return new Map(counts);
  const order = [...counts.keys()].sort(
    (a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  const absorbed = new Uint8Array(order.length);
  const out = new Map<string, number>();
  for (let s = 0; s < order.length; s++) {
    if (absorbed[s]) continue;
    absorbed[s] = 1;
    let total = 0;
    const queue = [s];
    while (queue.length > 0) {
      const a = queue.pop()!;
      const ca = counts.get(order[a])!;
      total += ca;
      for (let b = 0; b < order.length; b++) {
        if (absorbed[b]) continue;
        if (ca >= 2 * counts.get(order[b])! - 1 && hammingAtMost(order[a], order[b], maxDistance)) {
          absorbed[b] = 1;
          queue.push(b);
        }
      }
    }
    out.set(order[s], total);
  }
  return out;
}
