/**
 * Shares one in-flight computation between identical concurrent requests: fifty clients
 * polling the same run's status cost one database read while it runs. Nothing is cached after
 * it settles, so an answer is never older than the request that joins it by more than one read.
 */
export class InFlight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  run(key: string, compute: () => Promise<T>): Promise<T> {
    const existing = this.pending.get(key);
    if (existing) return existing;
    const promise = compute().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }
}
