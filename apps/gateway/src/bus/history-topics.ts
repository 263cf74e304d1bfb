/**
 * The topics the history holds, each a small number while any retained event carries it. Blocks
 * store the number; the names live here once, so the V8 heap grows with the number of distinct
 * topics, not with the number of events (a table per block grew by ~25 bytes per event under
 * docs/benchmarks.md S4's 10,000 personal topics, all of it kept for the ten minutes of retention). Numbers are
 * reused once free, so they stay dense enough to index a flags array.
 */
export class HistoryTopics {
  private readonly numbers = new Map<string, number>();
  private names: (string | undefined)[] = [];
  private counts = new Uint32Array(64);
  private readonly free: number[] = [];

  /** The topic's number, counting one more event that carries it. */
  retain(topic: string): number {
    let n = this.numbers.get(topic);
    if (n === undefined) {
      n = this.free.pop() ?? this.names.length;
      if (n === this.names.length) this.names.push(topic);
      else this.names[n] = topic;
      if (n >= this.counts.length) this.growCounts(n);
      this.numbers.set(topic, n);
    }
    this.counts[n] += 1;
    return n;
  }

  /** One event that carried topic `n` is gone; the number is freed with the last. */
  release(n: number): void {
    this.counts[n] -= 1;
    if (this.counts[n] > 0) return;
    this.numbers.delete(this.names[n] as string);
    this.names[n] = undefined;
    this.free.push(n);
  }

  /** Flags indexed by topic number, set for the `topics` held; undefined if none is. */
  wanted(topics: ReadonlySet<string>): Uint8Array | undefined {
    let flags: Uint8Array | undefined;
    for (const topic of topics) {
      const n = this.numbers.get(topic);
      if (n === undefined) continue;
      flags ??= new Uint8Array(this.names.length);
      flags[n] = 1;
    }
    return flags;
  }

  private growCounts(n: number): void {
    let size = this.counts.length * 2;
    while (size <= n) size *= 2;
    const counts = new Uint32Array(size);
    counts.set(this.counts);
    this.counts = counts;
  }
}
