/**
 * Counts tracked packages whose estimated delivery has passed, as time passes, without scanning
 * them: a min-heap of pending ETAs is popped as the clock reaches them. Heap entries of packages
 * untracked or re-timed meanwhile are stale and skipped when they surface.
 */
export class EtaWatch {
  private readonly entries = new Map<string, { etaMs: number; late: boolean }>();
  private readonly heap: { etaMs: number; id: string }[] = [];
  private lateCount = 0;

  get late(): number {
    return this.lateCount;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Starts or updates watching a package; returns whether the late count changed. */
  track(id: string, etaMs: number, nowMs: number): boolean {
    const existing = this.entries.get(id);
    if (existing?.etaMs === etaMs) return false;
    const before = this.lateCount;
    this.untrack(id);
    const late = etaMs <= nowMs;
    this.entries.set(id, { etaMs, late });
    if (late) this.lateCount += 1;
    else this.push({ etaMs, id });
    return before !== this.lateCount;
  }

  /** Stops watching (the package reached a final state); returns whether the late count changed. */
  untrack(id: string): boolean {
    const existing = this.entries.get(id);
    if (!existing) return false;
    this.entries.delete(id);
    if (existing.late) this.lateCount -= 1;
    return existing.late;
  }

  /** Marks every package whose ETA is at or before `nowMs` late; returns how many became late. */
  advance(nowMs: number): number {
    let changed = 0;
    while (this.heap.length && this.heap[0].etaMs <= nowMs) {
      const { etaMs, id } = this.pop();
      const entry = this.entries.get(id);
      if (entry && !entry.late && entry.etaMs === etaMs) {
        entry.late = true;
        this.lateCount += 1;
        changed += 1;
      }
    }
    return changed;
  }

  clear(): void {
    this.entries.clear();
    this.heap.length = 0;
    this.lateCount = 0;
  }

  private push(item: { etaMs: number; id: string }): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].etaMs <= h[i].etaMs) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private pop(): { etaMs: number; id: string } {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].etaMs < h[m].etaMs) m = l;
        if (r < h.length && h[r].etaMs < h[m].etaMs) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}
