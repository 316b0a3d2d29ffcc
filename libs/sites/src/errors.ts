// Errors of the site-analysis engine. The engine throws these; only the CLI (site-cli.ts) turns
// them into a message and an exit status.

/** An input file is missing, unreadable or malformed; names the file and, if known, the line. */
export class SiteInputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
    this.name = 'SiteInputError';
  }
}

/** The command line or the options are invalid. */
export class SiteUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteUsageError';
  }
}

/** An external tool (samtools) failed; carries the end of its stderr. */
export class SiteToolError extends Error {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(
      `${tool} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
    this.name = 'SiteToolError';
  }
}
