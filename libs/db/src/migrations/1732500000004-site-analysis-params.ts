/**
 * site_analysis parameters: the R1 filters (min_mapq, max_leading_clip), the LTR remainder that
 * places the junction, the merge distances and the lab's keep rule (min_fragments, min_reads).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

const RUN_COLUMNS: ReadonlyArray<[string, string]> = [
  ['min_mapq', 'INTEGER DEFAULT 20'],
  ['max_leading_clip', 'INTEGER DEFAULT 6'],
  ['ltr_remainder', `TEXT DEFAULT 'TAGCA'`],
  ['merge_distance', 'INTEGER DEFAULT 5'],
  ['max_merge_distance', 'INTEGER DEFAULT 10'],
  ['min_fragments', 'INTEGER DEFAULT 1'],
  ['min_reads', 'INTEGER DEFAULT 5'],
];

export class SiteAnalysisParams1732500000004 implements MigrationInterface {
  name = 'SiteAnalysisParams1732500000004';

  async up(q: QueryRunner): Promise<void> {
    for (const [column, type] of RUN_COLUMNS) {
      await q.query(`ALTER TABLE runs ADD COLUMN ${column} ${type}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [column] of RUN_COLUMNS) await q.query(`ALTER TABLE runs DROP COLUMN ${column}`);
  }
}
