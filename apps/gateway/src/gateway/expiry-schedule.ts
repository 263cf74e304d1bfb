/** setTimeout's ceiling (about 24.8 days); a later first deadline re-arms in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the schedule needs of an item: its deadline and a slot the schedule keeps on it. */
export interface Expiring {
  readonly expiresAtMs: number;
  /** The item's index in the schedule's heap; -1 when it is not scheduled. */
  expirySlot: number;
}

/**
 * Every connection's token deadline in one binary min-heap under one timer, armed for the earliest
 * deadline only. A timer per connection cost a Timeout, its argument list and timer-list links on
 * every idle connection (S1 in docs/benchmarks.md); here an item costs one array slot, and the
 * slot index it carries makes a refresh or a removal O(log n).
 */
export class ExpirySchedule<T extends Expiring> {
  private readonly heap: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for (Infinity: not armed). */
  private armedFor = Infinity;

  constructor(
    private readonly onExpired: (item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Schedules an item, or moves it after its deadline changed (a refreshed token). */
  set(item: T): void {
    if (item.expirySlot < 0) {
      item.expirySlot = this.heap.length;
      this.heap.push(item);
    }
    this.siftDown(this.siftUp(item.expirySlot));
    this.arm();
  }

  /** Unschedules an item; nothing happens if it is not scheduled. */
  delete(item: T): void {
    if (this.remove(item)) this.arm();
  }

  /** Stops the timer and forgets every item (shutdown). */
  clear(): void {
    for (const item of this.heap) item.expirySlot = -1;
    this.heap.length = 0;
    this.arm();
  }

  private arm(): void {
    const first = this.heap[0];
    const at = first === undefined ? Infinity : first.expiresAtMs;
    if (at === this.armedFor) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = at;
    if (at === Infinity) return;
    const delay = Math.max(0, Math.min(at - this.now(), MAX_TIMER_MS));
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref();
  }

  /** Hands over every item whose deadline passed, earliest first, then re-arms for the next one. */
  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.now();
    try {
      for (let first = this.heap[0]; first !== undefined && first.expiresAtMs <= now; first = this.heap[0]) {
        this.remove(first);
        this.onExpired(first);
      }
    } finally {
      this.arm();
    }
  }

  private remove(item: T): boolean {
    const slot = item.expirySlot;
    if (slot < 0 || this.heap[slot] !== item) return false;
    item.expirySlot = -1;
    const last = this.heap.pop() as T;
    if (last !== item) {
      this.place(last, slot);
      this.siftDown(this.siftUp(slot));
    }
    return true;
  }

  private place(item: T, slot: number): void {
    this.heap[slot] = item;
    item.expirySlot = slot;
  }

  private siftUp(slot: number): number {
    const item = this.heap[slot];
    while (slot > 0) {
      const parentSlot = (slot - 1) >> 1;
      const parent = this.heap[parentSlot];
      if (parent.expiresAtMs <= item.expiresAtMs) break;
      this.place(parent, slot);
      slot = parentSlot;
    }
    this.place(item, slot);
    return slot;
  }

  private siftDown(slot: number): void {
    const heap = this.heap;
    const item = heap[slot];
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && heap[child + 1].expiresAtMs < heap[child].expiresAtMs) child += 1;
      if (heap[child].expiresAtMs >= item.expiresAtMs) break;
      this.place(heap[child], slot);
      slot = child;
    }
    this.place(item, slot);
  }
}
