// TEMPORARY FALLBACK, to be removed when libs/sites/src/report (xlsx.ts, plots.ts) lands: loads
// the report writers when their modules exist and otherwise writes nothing, so that the engine
// compiles and runs before them. Once they exist, analyze-sites.ts imports them directly.

import { PlotData, SiteTable } from './types';

type WorkbookWriter = (
  file: string,
  tables: SiteTable[],
  summary: Record<string, unknown>,
) => Promise<void>;
type PlotWriter = (dir: string, data: PlotData) => Promise<string[]>;

function load<T>(module: string, name: string): T | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(module) as Record<string, unknown>;
    return (m[name] as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Returns false when the workbook writer is not available yet. */
export async function writeSitesWorkbookIfAvailable(
  file: string,
  tables: SiteTable[],
  summary: Record<string, unknown>,
): Promise<boolean> {
  const writer = load<WorkbookWriter>('./report/xlsx', 'writeSitesWorkbook');
  if (writer === null) return false;
  await writer(file, tables, summary);
  return true;
}

/** Returns null when the plot writer is not available yet. */
export async function writePlotsIfAvailable(dir: string, data: PlotData): Promise<string[] | null> {
  const writer = load<PlotWriter>('./report/plots', 'writePlots');
  return writer === null ? null : writer(dir, data);
}
