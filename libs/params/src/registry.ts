/**
 * The run parameter registry: every configuration field of a run, defined exactly once.
 *
 * The lab asked for "an easy way to add new parameters". Each entry below carries everything
 * the server needs to know about a parameter: its kind and bounds (-> request validation and
 * form-string coercion), its default, its database column (-> the TypeORM entity), its help
 * text (-> Swagger and the README) and the step that reads it (-> `config_stored` groups and
 * export/import). Adding a parameter is one entry here plus one migration adding its column;
 * a unit test fails when the two disagree.
 */

export type ParamGroup = 'umi' | 'cutadapt' | 'fastp' | 'read_mapping' | 'site_analysis' | 'qc';
export const PARAM_GROUPS: readonly ParamGroup[] = [
  'umi',
  'cutadapt',
  'fastp',
  'read_mapping',
  'site_analysis',
  'qc',
];

interface BaseDef {
  readonly name: string;
  readonly group: ParamGroup;
  readonly help: string;
  /**
   * The SQL column default. Omitted = same as `default`; `null` = the column has no default
   * (the spec leaves a few columns without one) although the server still applies `default`.
   */
  readonly columnDefault?: null;
}
export interface RealDef extends BaseDef {
  readonly kind: 'real';
  readonly min: number;
  readonly max: number;
  readonly default: number;
}
export interface IntegerDef extends BaseDef {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default: number;
}
export interface BooleanDef extends BaseDef {
  readonly kind: 'boolean';
  readonly default: boolean;
}
export interface EnumDef extends BaseDef {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly default: string;
}
/** A nucleotide sequence in IUPAC letters (primers, linkers). */
export interface SequenceDef extends BaseDef {
  readonly kind: 'sequence';
  readonly maxLength: number;
  readonly default: string | null;
}
/** A reference genome name as registered under QSLAM_DATA_DIR/references. */
export interface GenomeDef extends BaseDef {
  readonly kind: 'genome';
  readonly default: null;
}
export interface UrlDef extends BaseDef {
  readonly kind: 'url';
  readonly default: null;
}
/** A string over a small alphabet (upper-cased on input), e.g. a UMI pattern. */
export interface PatternDef extends BaseDef {
  readonly kind: 'pattern';
  readonly pattern: RegExp;
  /** What the pattern allows, in words, for the error message. */
  readonly rule: string;
  readonly maxLength: number;
  readonly default: string;
}
export type ParamDef =
  RealDef | IntegerDef | BooleanDef | EnumDef | SequenceDef | GenomeDef | UrlDef | PatternDef;

const PAIR_FILTERS = ['any', 'both', 'first'] as const;

function cutadaptParams(read: 'r1' | 'r2', d: { e: number; overlap: number }) {
  const flag = read === 'r1' ? '-g' : '-G';
  const mate = read.toUpperCase();
  return [
    {
      name: `${read}_seq`,
      kind: 'sequence',
      group: 'cutadapt',
      maxLength: 200,
      default: read === 'r1' ? 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC' : 'GACTGCGTATCAGT',
      columnDefault: null,
      help:
        read === 'r1'
          ? `LTR primer sequence removed from the 5' end of R1 (cutadapt ${flag}); IUPAC letters. Default: HIV-1 U5 LTR end.`
          : `Linker sequence removed from the 5' end of R2 (cutadapt ${flag}); IUPAC letters.`,
    },
    {
      name: `${read}_error_rate`,
      kind: 'real',
      group: 'cutadapt',
      min: 0,
      max: 0.99,
      default: d.e,
      help: `Maximum error rate when matching ${read}_seq in ${mate} (cutadapt -e).`,
    },
    {
      name: `${read}_trim_leading_trailing`,
      kind: 'integer',
      group: 'cutadapt',
      min: -1000,
      max: 1000,
      default: 0,
      help: `Bases removed unconditionally from ${mate} (cutadapt --cut): positive from the start, negative from the end, 0 = none.`,
    },
    {
      name: `${read}_anchored`,
      kind: 'boolean',
      group: 'cutadapt',
      default: false,
      help: `Anchor ${read}_seq at the very start of ${mate} (cutadapt ^ADAPTER).`,
    },
    {
      name: `${read}_min_overlap`,
      kind: 'integer',
      group: 'cutadapt',
      min: 1,
      max: 200,
      default: d.overlap,
      help: `Minimum overlap between ${mate} and ${read}_seq for a match (cutadapt min_overlap).`,
    },
    {
      name: `${read}_pair_filter`,
      kind: 'enum',
      group: 'cutadapt',
      values: PAIR_FILTERS,
      default: 'both',
      help: `Which reads of a pair must fail a filter for the pair to be dropped (cutadapt --pair-filter).`,
    },
    {
      name: `${read}_minimum_length_of_read`,
      kind: 'integer',
      group: 'cutadapt',
      min: 0,
      max: 10000,
      default: 30,
      help: `Discard pairs whose ${mate} is shorter than this after trimming (cutadapt -m).`,
    },
  ] as const;
}

const DISTANCE_MAX = 10_000_000;

export const PARAMS = [
  {
    name: 'umi_read',
    kind: 'enum',
    group: 'umi',
    values: ['none', 'R1', 'R2'],
    default: 'none',
    help: 'Read that starts with the UMI (umi step); none = the library has no UMI.',
  },
  {
    name: 'umi_pattern',
    kind: 'pattern',
    group: 'umi',
    pattern: /^[NX]*N[NX]*$/,
    rule: 'N (UMI base) and X (base removed, not kept), with at least one N',
    maxLength: 64,
    default: 'NNNNNNNNNN',
    help: 'umi_tools-style pattern of the UMI at the start of umi_read: N = UMI base, X = base removed but not kept (e.g. NNNNNNNNNN).',
  },
  ...cutadaptParams('r1', { e: 0.3, overlap: 5 }),
  ...cutadaptParams('r2', { e: 0.1, overlap: 10 }),
  {
    name: 'r1_discard_untrimmed',
    kind: 'boolean',
    group: 'cutadapt',
    default: true,
    help: 'Drop read pairs whose R1 does not carry r1_seq (cutadapt --discard-untrimmed in the R1 pass): such pairs are mispriming products without a vector-host junction and would become false sites.',
  },
  {
    name: 'fastp_qualified_quality',
    kind: 'integer',
    group: 'fastp',
    min: 0,
    max: 60,
    default: 15,
    help: 'Phred quality at which a base counts as qualified (fastp -q); reads with more than 40% unqualified bases are dropped.',
  },
  {
    name: 'fastp_length_required',
    kind: 'integer',
    group: 'fastp',
    min: 1,
    max: 10000,
    default: 30,
    help: 'Read pairs with a read shorter than this after fastp are dropped (fastp -l).',
  },
  {
    name: 'fastp_cut_tail',
    kind: 'boolean',
    group: 'fastp',
    default: true,
    help: "Trim low-quality bases from the 3' end of each read with a sliding window (fastp --cut_tail). The 5' end of R1 is never cut: it holds the integration site.",
  },
  {
    name: 'genome',
    kind: 'genome',
    group: 'read_mapping',
    default: null,
    help: 'Reference genome name (e.g. GRCh38, hg38, mm10) used by read_mapping and site_analysis.',
  },
  {
    name: 'genome_tar_url',
    kind: 'url',
    group: 'read_mapping',
    default: null,
    help: 'http(s) URL of a prebuilt index tarball, downloaded when the genome is not installed.',
  },
  {
    name: 'promoter_left',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: DISTANCE_MAX,
    default: 5000,
    help: 'Promoter region starts this many bp upstream of the TSS (gene orientation).',
  },
  {
    name: 'promoter_right',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: DISTANCE_MAX,
    default: 2000,
    help: 'Promoter region ends this many bp downstream of the TSS.',
  },
  {
    name: 'enhancer_left',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: DISTANCE_MAX,
    default: 50000,
    help: 'Enhancer region starts this many bp upstream of the TSS; must be >= promoter_left.',
  },
  {
    name: 'min_mapq',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: 255,
    default: 20,
    help: 'R1 alignments with a lower mapping quality are not placed (multi-mapping reads); they are counted separately in the attrition table.',
  },
  {
    name: 'max_leading_clip',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: 1000,
    default: 6,
    help: "Most unaligned bases allowed at the 5' end of R1 (the CIGAR start for + alignments, the CIGAR end for - alignments); the remaining LTR bases count.",
  },
  {
    name: 'ltr_remainder',
    kind: 'pattern',
    group: 'site_analysis',
    pattern: /^[ACGTN]{0,50}$/,
    rule: 'A, C, G, T or N, at most 50 bases (empty = none)',
    maxLength: 50,
    default: 'TAGCA',
    help: "LTR bases left at the start of R1 after r1_seq is trimmed (TAGCA for the HIV-1 U5 default). The junction is placed right after them even when they happen to match the genome; empty = the 5'-most aligned base.",
  },
  {
    name: 'merge_distance',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: 1000,
    default: 5,
    help: 'Primary merge distance d: positions on the same strand within d bp are one site (sites.tsv). The field standard is 5.',
  },
  {
    name: 'max_merge_distance',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: 1000,
    default: 10,
    help: 'Sites are also merged and reported for every d from 0 to this distance (sites.d{d}.tsv, one Excel sheet each).',
  },
  {
    name: 'min_fragments',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: 1_000_000,
    default: 1,
    help: 'A site is kept when fragments > min_fragments or reads > min_reads (the lab rule).',
  },
  {
    name: 'min_reads',
    kind: 'integer',
    group: 'site_analysis',
    min: 0,
    max: 1_000_000_000,
    default: 5,
    help: 'A site is kept when fragments > min_fragments or reads > min_reads (the lab rule).',
  },
  {
    name: 'qc_stage',
    kind: 'enum',
    group: 'qc',
    values: ['before', 'after', 'both'],
    default: 'before',
    help: 'Default stage of the qc step: raw reads (before), trimmed reads (after) or both.',
  },
] as const satisfies readonly ParamDef[];

type Def = (typeof PARAMS)[number];
export type ParamName = Def['name'];

type ValueOf<D> = D extends { kind: 'real' | 'integer' }
  ? number
  : D extends { kind: 'boolean' }
    ? boolean
    : D extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
      : string | null;

/** The typed values of every run parameter, derived from the registry. */
export type RunParams = { [D in Def as D['name']]: ValueOf<D> };

export const PARAM_BY_NAME: ReadonlyMap<string, ParamDef> = new Map(
  (PARAMS as readonly ParamDef[]).map((p) => [p.name, p]),
);

export function paramsOfGroup(group: ParamGroup): readonly ParamDef[] {
  return (PARAMS as readonly ParamDef[]).filter((p) => p.group === group);
}

export function defaultParams(): RunParams {
  return Object.fromEntries(PARAMS.map((p) => [p.name, p.default])) as RunParams;
}

/** SQL declared type of a parameter's column, as written in the spec's schema. */
export function sqlTypeOf(def: ParamDef): 'TEXT' | 'REAL' | 'INTEGER' | 'BOOLEAN' {
  switch (def.kind) {
    case 'real':
      return 'REAL';
    case 'integer':
      return 'INTEGER';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'TEXT';
  }
}

/** SQL column default of a parameter, or null when the column has none. */
export function columnDefaultOf(def: ParamDef): string | number | boolean | null {
  if ('columnDefault' in def && def.columnDefault === null) return null;
  return def.default;
}
