#!/usr/bin/env bash
# Checks lab-sites.sh on hand-written read pairs (testdata/pairs.sam) against expected tables
# computed by hand (testdata/expected: LAB_MIN_FRAGMENTS=0 LAB_MIN_READS=0, every site;
# testdata/expected-filtered: the lab's filter fragments > 1 or reads > 5). Exit 0 when all match.
#
#   bench/lab-reference/test-lab-sites.sh
#
# The pairs (SAM POS is 1-based; "junction" = the true site by DOMAIN.md):
#   p1   '+' R1 1001-1050, R2 1201-1250: mates do not overlap. Junction 1001; the lab reports
#        1201 = the R2 start (fault 1).
#   p2   '+' R1 and R2 both 501-530 (R2 reaches the junction): lab right, 501. p2b is a PCR
#        duplicate (same interval: a read, not a fragment); p2c has R2 501-528 (a second fragment).
#   p3   '-' R1 2001-2050: junction 2050, the lab reports 2051 (fault 3).
#   p4   '-' R1 40M10S: 10 unaligned bases at its 5' end (CIGAR end) - should be dropped, the lab
#        keeps it (fault 2), at 2241 (= 2240 + 1, fault 3).
#   p5   '+' R1 10S40M: 5' clip 10 > 6, dropped (right).
#   p6   '-' R1 10S40M: the clip is at its 3' end - should be kept, the lab drops it (fault 2).
#   p7   R1 unmapped; p8 mates on two chromosomes: no site.
#   p9   '+' at 502 (adjacent to p2's 501): merged with it even at D = 0 (book-ended BED).
#   p10  '+' at 505: merged with 501-502 from D = 2 (gap of 2 bases between [500,502) and 504).
#   p11  '-' R1 473-502: '-' site at 503, never merged with the '+' sites.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT

samtools sort -o "$tmp/pairs.bam" "$here/testdata/pairs.sam" 2>/dev/null
LAB_MIN_FRAGMENTS=0 LAB_MIN_READS=0 "$here/lab-sites.sh" "$tmp/pairs.bam" "$tmp/all" 2
"$here/lab-sites.sh" "$tmp/pairs.bam" "$tmp/filtered" 2

failed=0
for d in 0 1 2; do
  for set in all:expected filtered:expected-filtered; do
    got="$tmp/${set%%:*}/sites.d$d.tsv"
    want="$here/testdata/${set##*:}/sites.d$d.tsv"
    if ! diff -u "$want" "$got"; then
      failed=1
    fi
  done
done
[[ ! -e "$tmp/all/sites.d3.tsv" ]] || { echo "MAX_D=2 wrote sites.d3.tsv" >&2; failed=1; }
[[ ! -e "$tmp/all/lab-work" ]] || { echo "lab-work was not removed" >&2; failed=1; }
if ((failed)); then
  echo "test-lab-sites: FAILED" >&2
  exit 1
fi
echo "test-lab-sites: ok (fault 1: non-overlapping '+' pair with junction 1001 reported at 1201)"
