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
 */
export class EventInvalidatedCache<T> {
  private readonly entries = new Map<string, Promise<T>>();
  private subscription: Subscription | undefined;

  constructor(private readonly topics: ReadonlySet<string>) {}

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
    const cached = this.entries.get(key);
    if (cached) return cached;
    if (this.entries.size >= MAX_KEYS) this.entries.clear();
    const loading = load();
    this.entries.set(key, loading);
    // A failed query is not an answer to share.
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    return loading;
  }
}
