// What the command lines of the genome tools share: `--name value` parsing and exit codes.
//
// The tools run as job commands, so their contract is the exit code and one line on stderr:
// 0 success; 1 the work failed (network, HTTP status, checksum, unsafe archive, tool failure);
// 2 the command line itself is wrong, before anything was done. Parsing is a pure function so that
// the argument lists a job builds can be tested against it.

import { GenomeCliUsageError } from './errors';

/** Parses `--flag value` pairs; `flags` maps each accepted flag to its key. */
export function parseFlags<K extends string>(
  argv: readonly string[],
  flags: Readonly<Record<string, K>>,
  usage: string,
): Partial<Record<K, string>> {
  const values: Partial<Record<K, string>> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (!Object.hasOwn(flags, flag)) {
      throw new GenomeCliUsageError(`unknown argument '${flag}'\n${usage}`);
    }
    const key = flags[flag];
    const value = argv[i + 1];
    if (value === undefined || value === '') {
      throw new GenomeCliUsageError(`missing value for ${flag}\n${usage}`);
    }
    if (values[key] !== undefined) throw new GenomeCliUsageError(`${flag} given twice\n${usage}`);
    values[key] = value;
  }
  return values;
}

/** The value of a required flag, or a usage error naming it. */
export function requireFlag(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined) throw new GenomeCliUsageError(`${flag} is required\n${usage}`);
  return value;
}

/** Runs a tool's main function and returns its exit code; the error message goes to stderr. */
export async function runTool(name: string, main: () => Promise<void>): Promise<number> {
  try {
    await main();
    return 0;
  } catch (err) {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof GenomeCliUsageError ? 2 : 1;
  }
}
