// Whether an executable is installed, looked up on PATH the way a shell would (no shell run).

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function binaryOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
