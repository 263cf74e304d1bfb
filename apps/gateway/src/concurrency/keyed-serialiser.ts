/**
 * Runs tasks with the same key one after another, in arrival order; different keys run freely.
 * Packages hold a tracking number's key across write, commit and publish so its events leave in
 * commit order; the anomaly engine holds a package's key so two evaluations never interleave their
 * reads and writes. A failed task is reported to its own caller only: the next one still runs.
 */
export class KeyedSerialiser {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task);
    const tail = current.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once nobody queued behind this task, so the map does not grow with every key.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }

  /**
   * Holds every key of `keys` while `task` runs (a group commit of several packages). Keys are
   * taken in sorted order, so two callers holding several keys cannot wait on each other in a cycle.
   */
  runAll<T>(keys: Iterable<string>, task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    return sorted.reduceRight<() => Promise<T>>((inner, key) => () => this.run(key, inner), task)();
  }

  /** Keys with a task queued or running. */
  get size(): number {
    return this.tails.size;
  }

  /** Resolves when every task submitted so far has settled. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
