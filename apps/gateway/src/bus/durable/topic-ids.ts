/**
 * A writer re-reads a topic's id (refreshing the row's `used_ms`) at least this often, so no
 * cached id is older than this.
 */
export const TOPIC_REFRESH_MS = 3_600_000;

/**
 * Topic rows unused for this long may go (when no event refers to them). Twice the refresh
 * period: no writer can still hold such an id, even with a clock some minutes off, so an event
 * is never written under an id that pruning removed (nor one reused for another topic).
 */
export const TOPIC_KEEP_MS = 2 * TOPIC_REFRESH_MS;

interface Entry {
  id: number;
  at: number;
}

/** The in-memory map from durable topic to its integer id, bounded by the refresh period. */
export class TopicIds {
  private readonly ids = new Map<string, Entry>();

  /** The cached id, unless it is due for a refresh. */
  get(topic: string, now: number): number | undefined {
    const e = this.ids.get(topic);
    return e && now - e.at < TOPIC_REFRESH_MS ? e.id : undefined;
  }

  /** Ids read inside a transaction are only kept once it committed. */
  remember(read: ReadonlyMap<string, number>, at: number): void {
    for (const [topic, id] of read) this.ids.set(topic, { id, at });
  }

  /** Drops the entries due for a refresh (topics no longer written), bounding the map. */
  forgetStale(now: number): void {
    for (const [topic, e] of this.ids) if (now - e.at >= TOPIC_REFRESH_MS) this.ids.delete(topic);
  }
}
