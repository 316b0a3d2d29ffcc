// Progress lines: formatting, and at most one line per interval whatever the chunk rate.

import { formatBytes, formatDuration, ProgressMeter } from './download-progress';

describe('formatBytes and formatDuration', () => {
  it('format sizes and times for people', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(3.2 * 1024 ** 3)).toBe('3.20 GiB');
    expect(formatBytes(250 * 1024 ** 2)).toBe('250.0 MiB');
    expect(formatDuration(9.3)).toBe('9s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3725)).toBe('1h02m05s');
  });
});

describe('ProgressMeter', () => {
  it('prints at most one line per interval, with percentage, rate and time left', () => {
    let now = 0;
    const lines: string[] = [];
    const mib = 1024 * 1024;
    const meter = new ProgressMeter(
      (l) => lines.push(l),
      2000,
      10 * mib,
      110 * mib,
      () => now,
    );
    for (let ms = 100; ms <= 5000; ms += 100) {
      now = ms;
      meter.update(10 * mib + (ms / 1000) * 5 * mib);
    }
    expect(lines).toEqual([
      'download: 20.0 MiB of 110.0 MiB (18.2%), 5.00 MiB/s, 18s left',
      'download: 30.0 MiB of 110.0 MiB (27.3%), 5.00 MiB/s, 16s left',
    ]);
  });

  it('leaves out the percentage when the size is unknown', () => {
    const meter = new ProgressMeter(
      () => undefined,
      2000,
      0,
      null,
      () => 0,
    );
    expect(meter.describe(2048, 2000)).toBe('download: 2.00 KiB, 1.00 KiB/s');
  });
});
