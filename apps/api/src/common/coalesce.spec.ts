import { InFlight } from './coalesce';

describe('InFlight', () => {
  it('shares one computation between concurrent callers of the same key only', async () => {
    const inflight = new InFlight<number>();
    let calls = 0;
    let release!: (n: number) => void;
    const compute = () => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const a = inflight.run('run-1', compute);
    const b = inflight.run('run-1', compute);
    const other = inflight.run('run-2', () => Promise.resolve(7));
    expect(calls).toBe(1);
    release(42);
    expect(await Promise.all([a, b, other])).toEqual([42, 42, 7]);
  });

  it('computes again once the previous computation settled, also after a failure', async () => {
    const inflight = new InFlight<number>();
    await expect(inflight.run('k', () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    );
    let calls = 0;
    const compute = () => Promise.resolve(++calls);
    expect(await inflight.run('k', compute)).toBe(1);
    expect(await inflight.run('k', compute)).toBe(2);
  });
});
