/**
 * Product identity reported by /system/info and written into exports. The version is read from
 * the repository's package.json, found by walking up from this file (the same code runs from
 * `libs/` under ts-jest and from `dist/apps/*` after the build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SERVER_NAME = 'qsLAM PCR Server';
export const PACKAGE_NAME = 'qslam-pcr-server';

/** The repository root: the nearest ancestor holding this project's package.json. */
export function findProjectRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === PACKAGE_NAME) return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`${PACKAGE_NAME} package.json not found`);
  }
}

function readVersion(): string {
  const file = path.join(findProjectRoot(), 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

export const SERVER_VERSION: string = readVersion();
