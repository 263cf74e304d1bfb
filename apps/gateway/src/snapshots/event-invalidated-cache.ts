import type { Subscription } from 'rxjs';
import type { EventBus } from '../bus/event-bus.js';

/** Distinct keys kept at most (bbox filters are the clients' choice: bound what they can make us hold). */
const MAX_KEYS = 64;

/**
 * Snapshot results shared between subscribers until an event of `topics` says the state changed.
 * Sound for the gateway's subscribe-then-snapshot order under persist-then-publish: a result (or a
 * query still running) is handed out only while no such event was seen since its query began, so
 * any change its query missed is published after that, i.e. after the new subscriber subscribed,
 * and reaches it live. While events flow it is a pass-through; it pays when many subscribe to a
 * quiet topic (a dashboard reconnect storm, S5 in docs/benchmarks.md: one query per subscribe).
 * Results also expire after `maxAgeMs`: a change this instance never hears of (a write behind the
 * application's back, or another instance's without a shared bus) is then seen that late at most.
 */
export class EventInvalidatedCache<T> {
  private readonly entries = new Map<string, { result: Promise<T>; at: number }>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly topics: ReadonlySet<string>,
    private readonly maxAgeMs: number,
  ) {}

  attach(bus: EventBus): void {
    this.subscription = bus.events$.subscribe((event) => {
      if (this.topics.has(event.topic)) this.entries.clear();
    });
  }

  detach(): void {
    this.subscription?.unsubscribe();
    this.entries.clear();
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.maxAgeMs) return cached.result;
    if (this.entries.size >= MAX_KEYS) this.entries.clear();
    const entry = { result: load(), at: now };
    this.entries.set(key, entry);
    // A failed query is not an answer to share.
    entry.result.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.result;
  }
}
