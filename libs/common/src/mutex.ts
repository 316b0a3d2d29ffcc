/**
 * A minimal async mutex. SQLite allows one writer; inside one process every write transaction
 * is funnelled through this lock so that statements of two requests never interleave on the
 * single shared connection (see libs/db/src/database.ts).
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
