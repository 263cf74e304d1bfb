/** A live collection a sweep walks, such as a Map's values (its iterator sees later additions). */
export interface SweepSource<T> {
  readonly size: number;
  all(): IterableIterator<T>;
}

/** At most this many ms between slices: each slice then covers a small part of a pass. */
const MAX_TICK_MS = 250;
/** Short intervals (tests, aggressive settings) still get a few slices per pass. */
const MIN_SLICES = 8;

/**
 * Visits every item of a live collection once per pass, a pass spread over `intervalMs` in
 * slices (one per tick), passes starting at least `intervalMs` apart.
 *
 * Why paced: a visit here is a socket write (a ping), about 10 µs of kernel time on a loopback
 * host. All 10,000 connections at once held the event loop for over 100 ms every interval, and
 * each event published meanwhile waited for it (docs/benchmarks.md S4's p99). In slices of size/120 the same
 * work costs about 1 ms per tick.
 *
 * An item added during a pass is visited later in the same pass (Map iterators see additions);
 * one removed before its turn is skipped. Either way each item's visits are about `intervalMs`
 * apart, never closer.
 */
export class PacedSweep<T> {
  readonly tickMs: number;
  private pass: IterableIterator<T> | undefined;
  private passStartedAt = 0;
  private perTick = 1;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly source: SweepSource<T>,
    private readonly intervalMs: number,
    private readonly visit: (item: T) => void,
  ) {
    this.tickMs = Math.min(MAX_TICK_MS, intervalMs / MIN_SLICES);
  }

  /** The first pass begins one interval from now. */
  start(): void {
    this.running = true;
    this.schedule(this.intervalMs);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pass = undefined;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref();
  }

  private tick(): void {
    if (!this.pass) {
      this.pass = this.source.all();
      this.passStartedAt = Date.now();
      this.perTick = Math.max(1, Math.ceil((this.source.size * this.tickMs) / this.intervalMs));
    }
    const pass = this.pass;
    for (let i = 0; i < this.perTick; i++) {
      const item = pass.next();
      if (item.done) {
        this.pass = undefined;
        this.schedule(Math.max(0, this.passStartedAt + this.intervalMs - Date.now()));
        return;
      }
      this.visit(item.value);
    }
    this.schedule(this.tickMs);
  }
}
