/**
 * Which aligner binaries this worker has, and their versions. Asked once per process and
 * remembered: the answers do not change while a worker runs, and `plan()` must stay cheap.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const onPath = new Map<string, boolean>();
const versions = new Map<string, string | null>();

/** True when an executable `binary` is on PATH. */
export function binaryOnPath(binary: string): boolean {
  let found = onPath.get(binary);
  if (found === undefined) {
    found = (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
      try {
        fs.accessSync(path.join(dir, binary), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    onPath.set(binary, found);
  }
  return found;
}

/**
 * The version an aligner reports: `bwa` prints `Version: 0.7.17-r1188` in its usage text on
 * stderr (run without arguments, exit 1); `bwa-mem2 version` prints it on stdout.
 */
export function alignerVersion(binary: 'bwa' | 'bwa-mem2'): string | null {
  if (!versions.has(binary)) {
    const res = spawnSync(binary, binary === 'bwa' ? [] : ['version'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    const text = `${res.stdout ?? ''}\n${res.stderr ?? ''}`;
    const m = /Version:\s*(\S+)/.exec(text) ?? /^\s*(\d+\.\d+\S*)\s*$/m.exec(text);
    versions.set(binary, m ? m[1] : null);
  }
  return versions.get(binary) ?? null;
}
