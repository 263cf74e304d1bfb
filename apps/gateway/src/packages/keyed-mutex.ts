/**
 * Runs tasks with the same key one after another, in arrival order; different keys run freely.
 * Holding the key across write, commit and publish keeps a package's events in commit order.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // Forget the key once nobody queued behind us, so the map does not grow with every package.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /**
   * Holds every key of `keys` while `task` runs. Keys are taken in sorted order, so two callers
   * holding several keys cannot wait on each other in a cycle.
   */
  runAll<T>(keys: Iterable<string>, task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    return sorted.reduceRight<() => Promise<T>>((inner, key) => () => this.run(key, inner), task)();
  }
}
