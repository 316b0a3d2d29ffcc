/**
 * Command lines for the project's own tools (libs/preprocess), run by the job wrapper like any
 * other tool: the same Node.js binary as the worker and the compiled script; from the
 * TypeScript sources (ts-node) when the build is absent, as in unit tests and development.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const LIBS = path.resolve(__dirname, '..', '..');

/** argv prefix that runs `libs/<relPath>` (given without extension). */
export function projectToolArgv(relPath: string): string[] {
  const js = path.join(LIBS, `${relPath}.js`);
  if (fs.existsSync(js)) return [process.execPath, js];
  const ts = path.join(LIBS, `${relPath}.ts`);
  return [
    process.execPath,
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    'tsconfig-paths/register',
    ts,
  ];
}
