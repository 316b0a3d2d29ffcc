import { InitialSchema1732500000000 } from './1732500000000-initial-schema';
import { JobEngineColumns1732500000001 } from './1732500000001-job-engine-columns';
import { Preprocessing1732500000002 } from './1732500000002-preprocessing';
import { Genomes1732500000003 } from './1732500000003-genomes';
import { SiteAnalysisParams1732500000004 } from './1732500000004-site-analysis-params';

/** Every migration, in order. Append new ones here. */
export const MIGRATIONS = [
  InitialSchema1732500000000,
  JobEngineColumns1732500000001,
  Preprocessing1732500000002,
  Genomes1732500000003,
  SiteAnalysisParams1732500000004,
];
