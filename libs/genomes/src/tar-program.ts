// GNU tar, the one external program of this library: its command lines and how it is run.
//
// Command lines are pure functions (tested argument by argument) and processes are always
// spawned with an argument array, never through a shell. `--force-local` stops GNU tar from
// reading an archive name with a colon (`host:file`) as a remote archive over rsh. LC_ALL=C
// makes tar's name quoting and messages independent of the server's locale. stderr is captured
// and quoted in the error when tar fails; only exit code 0 is success (1 and 2 mean that some
// members could not be read or written).

import { spawn } from 'node:child_process';
import { ToolFailedError } from './errors';

export type ArchiveCompression = 'gzip' | 'none';

export const TAR = {
  command: 'tar',
  okExitCodes: [0],
  env: { LC_ALL: 'C' },
} as const;

function archiveFlag(mode: 'x' | 't', compression: ArchiveCompression): string {
  return `-${mode}${compression === 'gzip' ? 'z' : ''}f`;
}

/** `tar -xzf FILE -C DIR` with ownership and permissions of the extracting user. */
export function tarExtractArgv(
  archive: string,
  dest: string,
  compression: ArchiveCompression,
): string[] {
  return [
    TAR.command,
    archiveFlag('x', compression),
    archive,
    '-C',
    dest,
    '--no-same-owner',
    '--no-same-permissions',
    '--force-local',
  ];
}

/** `tar -tzf FILE`: member names, one a line, non-printable bytes escaped as \ooo. */
export function tarListArgv(archive: string, compression: ArchiveCompression): string[] {
  return [
    TAR.command,
    archiveFlag('t', compression),
    archive,
    '--force-local',
    '--quoting-style=escape',
  ];
}

export interface ProgramOutput {
  stdout: string;
  stderr: string;
}

/** Runs `argv` (tar), collecting stdout and stderr; rejects with ToolFailedError on failure. */
export function runTar(argv: readonly string[], signal?: AbortSignal): Promise<ProgramOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: { ...process.env, ...TAR.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => reject(new ToolFailedError(argv, null, err.message)));
    child.on('close', (code) => {
      const output = {
        stdout: Buffer.concat(stdout).toString('latin1'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (code !== null && (TAR.okExitCodes as readonly number[]).includes(code)) resolve(output);
      else reject(new ToolFailedError(argv, code, output.stderr));
    });
  });
}
