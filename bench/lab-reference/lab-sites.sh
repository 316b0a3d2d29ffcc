#!/usr/bin/env bash
# The lab's first pipeline's site step, reproduced faithfully - faults included - as the baseline
# that bench/site-speed.ts (speed) and the accuracy benchmark compare our site engine with. It is
# NOT a pipeline we use: see /work/shared/DOMAIN.md, "How the lab's first pipeline did it".
#
#   THREADS=2 bench/lab-reference/lab-sites.sh BAM OUT_DIR [MAX_D]     (MAX_D default 10)
#
# The lab's logic, step by step (samtools, bedtools, awk, sort):
#   1. keep mapped reads (samtools view -F 4; secondary/supplementary records are NOT removed);
#   2. drop every read (R1 or R2) whose CIGAR *starts* with more than 6 clipped bases (S or H);
#   3. sort by read name (samtools sort -n);
#   4. bedtools bamtobed -bedpe -mate1 (mate 1 first; reads whose mate is gone are skipped);
#   5. keep pairs with both mates on one chromosome; take [max(start1,start2), min(end1,end2)]
#      with the R1 strand - the lab's "fragment";
#   6. deduplicate those intervals (sort -u): each distinct interval is one fragment;
#   7. site = interval start for '+', interval end for '-'; per site: fragments (distinct
#      intervals) and reads (read pairs, duplicates included);
#   8. bedtools merge -s -d D for D = 0..MAX_D, summing fragments and reads per merged interval;
#   9. keep a merged site when fragments > 1 or reads > 5 (the lab's rule; the thresholds can be
#      changed with LAB_MIN_FRAGMENTS / LAB_MIN_READS, e.g. 0 / 0 to see every site).
#
# Its three faults (DOMAIN.md), all reproduced on purpose:
#   1. [max(start), min(end)] is the OVERLAP of the mates, not the fragment. When the mates do
#      not overlap (fragment longer than the two aligned reads, most of realistic 2x150 data)
#      the '+' site becomes the R2 alignment start and the '-' site the R2 alignment end,
#      i.e. the shear point, not the junction (and start > end in the interval). In fact it is
#      right only when R2's alignment reaches back to the junction (fragment <= R2's length).
#   2. The clip filter reads the CIGAR start, which is the read's 5' end only for '+'
#      alignments: a '-' R1 with a long 5' clip (at the CIGAR end) passes, a '-' R1 with a long
#      3' clip (CIGAR start) is dropped; R2 reads are filtered too (and take their pair along).
#   3. '-' sites are one base past the junction: the BED end (exclusive, 0-based) = the 1-based
#      last aligned base is used as a 0-based start (written as [end, end+1)).
# A quirk that is not one of the three: bedtools merge -d D also merges book-ended intervals, so
# two single-base sites q - p <= D + 1 apart are one site (even at D = 0, adjacent bases merge).
#
# Output: OUT_DIR/sites.d{D}.tsv, tab-separated, header
#   chrom start end position strand fragments reads
# start/end = the merged interval as bedtools prints it (0-based half-open, in the lab's site
# coordinates, so '-' intervals are shifted one base right by fault 3); position = start + 1, the
# 1-based left end of the merged interval - the lab's spreadsheets show the merged BED interval
# and its R script took the interval start as "the" site, for both strands (not the
# best-supported position). Rows sorted by chrom, start. Also OUT_DIR/lab-summary.tsv (counts).
#
# What it does not do (compared with our site_analysis): no proper-pair/primary/MAPQ filter, no
# UMIs, no vector-contig exclusion, no known sites, no annotation (the lab used Bioconductor), no
# percentages, clone statistics, Excel or plots. Intermediate files go to OUT_DIR/lab-work and
# are removed at the end unless KEEP_WORK=1.
set -euo pipefail

if (($# < 2 || $# > 3)); then
  echo "usage: THREADS=N lab-sites.sh BAM OUT_DIR [MAX_D]" >&2
  exit 2
fi
bam=$1
out=$2
max_d=${3:-10}
threads=${THREADS:-1}
min_fragments=${LAB_MIN_FRAGMENTS:-1}
min_reads=${LAB_MIN_READS:-5}
readonly MAX_CLIP=6
for number in "$max_d" "$min_fragments" "$min_reads"; do
  if ! [[ "$number" =~ ^[0-9]+$ ]]; then
    echo "lab-sites.sh: MAX_D, LAB_MIN_FRAGMENTS and LAB_MIN_READS must be whole numbers" >&2
    exit 2
  fi
done
if ! [[ "$threads" =~ ^[1-9][0-9]*$ ]]; then
  echo "lab-sites.sh: THREADS must be >= 1 (got '$threads')" >&2
  exit 2
fi
[[ -r "$bam" ]] || { echo "lab-sites.sh: cannot read BAM '$bam'" >&2; exit 2; }
export LC_ALL=C
work="$out/lab-work"
mkdir -p "$work"

# 1-3. mapped reads, CIGAR-start clip filter (fault 2), name sort.
samtools view -h -F 4 -- "$bam" |
  awk -v max="$MAX_CLIP" 'BEGIN { FS = OFS = "\t" }
    /^@/ { print; next }
    match($6, /^[0-9]+[SH]/) && substr($6, 1, RLENGTH - 1) + 0 > max { next }
    { print }' |
  samtools sort -n -@ "$threads" -T "$work/byname" -o "$work/byname.bam" -

# 4. BEDPE: chrom1 start1 end1 chrom2 start2 end2 name score strand1 strand2 (0-based half-open).
#    bedtools warns once per read whose mate is missing; that goes to the log, not the terminal.
bedtools bamtobed -bedpe -mate1 -i "$work/byname.bam" >"$work/pairs.bedpe" 2>"$work/bamtobed.log"

# 5. The mates' overlap with the R1 strand, one line per read pair: chrom start end strand
#    (start = max of the starts, end = min of the ends; start > end when mates do not overlap).
awk 'BEGIN { FS = OFS = "\t" }
  $1 == $4 && $1 != "." {
    s = ($2 > $5) ? $2 : $5
    e = ($3 < $6) ? $3 : $6
    print $1, s, e, $9
  }' "$work/pairs.bedpe" >"$work/pairs.bed"

# 6. Deduplicate: one line per distinct interval = the lab's fragment.
sort -u -S 50% --parallel="$threads" "$work/pairs.bed" >"$work/fragments.bed"

# 7. Per site: the lab's 0-based site coordinate is the interval start for '+' (correct) and the
#    interval END for '-' (BED end = 1-based last aligned base, used as a 0-based start: one
#    base past the junction, fault 3). Written as BED6 + reads:
#    chrom site site+1 . fragments strand reads, sorted for bedtools merge.
awk 'BEGIN { FS = OFS = "\t" }
  FNR == NR { site = ($4 == "+") ? $2 : $3; fragments[$1 OFS site OFS $4]++; next }
  { site = ($4 == "+") ? $2 : $3; reads[$1 OFS site OFS $4]++ }
  END {
    for (key in reads) {
      split(key, k, OFS)
      print k[1], k[2], k[2] + 1, ".", fragments[key], k[3], reads[key]
    }
  }' "$work/fragments.bed" "$work/pairs.bed" |
  sort -k1,1 -k2,2n -k6,6 -S 50% --parallel="$threads" >"$work/positions.bed"

# 8-9. Strand-specific merge per D; output columns: chrom start end position strand fragments
#      reads, position = merged start + 1 (the lab's representative position, see the header).
for ((d = 0; d <= max_d; d++)); do
  {
    printf 'chrom\tstart\tend\tposition\tstrand\tfragments\treads\n'
    if [[ -s "$work/positions.bed" ]]; then
      bedtools merge -s -d "$d" -c 6,5,7 -o distinct,sum,sum -i "$work/positions.bed" |
        awk -v minf="$min_fragments" -v minr="$min_reads" 'BEGIN { FS = OFS = "\t" }
          $5 > minf || $6 > minr { print $1, $2, $3, $2 + 1, $4, $5, $6 }'
    fi
  } >"$out/sites.d$d.tsv"
done

{
  printf 'measure\tcount\n'
  printf 'bedpe_pairs\t%s\n' "$(wc -l <"$work/pairs.bedpe")"
  printf 'same_chromosome_pairs\t%s\n' "$(wc -l <"$work/pairs.bed")"
  printf 'fragments\t%s\n' "$(wc -l <"$work/fragments.bed")"
  printf 'positions\t%s\n' "$(wc -l <"$work/positions.bed")"
  for ((d = 0; d <= max_d; d++)); do
    printf 'sites_d%s\t%s\n' "$d" "$(($(wc -l <"$out/sites.d$d.tsv") - 1))"
  done
} >"$out/lab-summary.tsv"

[[ "${KEEP_WORK:-0}" == 1 ]] || rm -rf -- "$work"
