// Directional UMI clustering as in umi_tools (Smith, Heger & Sudbery 2017, "directional"):
// UMI a absorbs b when they differ at one base and count(a) ≥ 2·count(b) − 1 (b looks like a PCR
// or sequencing error of a). Clusters are found by walking the directed edges from the
// highest-count UMI not yet reached; their number is the count of molecules. Neighbours are found
// by looking up the 1-mismatch variants of each UMI (length × 4 lookups), never by comparing all
// pairs.

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
