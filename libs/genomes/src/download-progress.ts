// Progress lines of a download, for a job log.
//
// A job's stdout goes to its log file, which users read while the job runs (and which must not
// grow by megabytes for one download), so the meter prints a line at most once per interval,
// not per chunk: bytes so far, the total and percentage when the server sent a length, the
// average rate of this transfer (resumed bytes do not count as fast) and the time left.

export type LogLine = (line: string) => void;

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → '1.5 KiB'. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

/** 3725 → '1h02m05s'; 65 → '1m05s'; 9.3 → '9s'. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m${pad(rest)}s`;
  if (m > 0) return `${m}m${pad(rest)}s`;
  return `${rest}s`;
}

/** Prints throttled progress lines for one transfer. */
export class ProgressMeter {
  private readonly started: number;
  private lastLine: number;

  constructor(
    private readonly log: LogLine,
    private readonly intervalMs: number,
    /** Bytes already on disk when this transfer started. */
    private readonly startPosition: number,
    /** Expected final size, or null when the server did not say. */
    private readonly total: number | null,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    this.lastLine = this.started;
  }

  /** Reports the current position; prints a line when the interval has passed. */
  update(position: number): void {
    const now = this.now();
    if (now - this.lastLine < this.intervalMs) return;
    this.lastLine = now;
    this.log(this.describe(position, now));
  }

  /** The progress line for `position` at time `now` (ms). */
  describe(position: number, now: number): string {
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? (position - this.startPosition) / seconds : 0;
    const parts = [`download: ${formatBytes(position)}`];
    if (this.total !== null && this.total > 0) {
      const percent = ((100 * position) / this.total).toFixed(1);
      parts[0] += ` of ${formatBytes(this.total)} (${percent}%)`;
    }
    parts.push(`${formatBytes(Math.round(rate))}/s`);
    if (this.total !== null && rate > 0 && position < this.total) {
      parts.push(`${formatDuration((this.total - position) / rate)} left`);
    }
    return parts.join(', ');
  }
}
