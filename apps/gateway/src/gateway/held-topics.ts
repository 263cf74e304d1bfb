import type { EventPredicate } from './filters.js';

/** A held topic past the first one. */
interface Held {
  predicate: EventPredicate | undefined;
  liveFrom: string | undefined;
}

/**
 * The topics a connection holds, each with its filter (undefined = everything on that topic) and
 * its live-from mark: the bus's newest id when the subscription began, so a later `subscribe`
 * with `since` of a topic already held replays only what came before it (SubscriptionService).
 *
 * Nearly every connection holds one topic (an endpoint's auto-subscription), so the first one is
 * kept in fields of its own; a Map for it and another for the marks cost about 350 bytes on every
 * idle connection (S1 in docs/benchmarks.md). Further topics go to a Map, made on demand.
 */
export class HeldTopics {
  private firstTopic: string | undefined;
  private firstPredicate: EventPredicate | undefined;
  private firstLiveFrom: string | undefined;
  private rest: Map<string, Held> | undefined;

  get size(): number {
    return (this.firstTopic === undefined ? 0 : 1) + (this.rest?.size ?? 0);
  }

  has(topic: string): boolean {
    return topic === this.firstTopic || (this.rest?.has(topic) ?? false);
  }

  /** The topic's filter; undefined when it has none or is not held (fan-out hot path). */
  get(topic: string): EventPredicate | undefined {
    if (topic === this.firstTopic) return this.firstPredicate;
    return this.rest?.get(topic)?.predicate;
  }

  /** Holds the topic with this filter; a topic already held keeps its live-from mark. */
  set(topic: string, predicate: EventPredicate | undefined): this {
    if (topic === this.firstTopic) {
      this.firstPredicate = predicate;
      return this;
    }
    const held = this.rest?.get(topic);
    if (held) held.predicate = predicate;
    else if (this.firstTopic === undefined) {
      this.firstTopic = topic;
      this.firstPredicate = predicate;
      this.firstLiveFrom = undefined;
    } else (this.rest ??= new Map()).set(topic, { predicate, liveFrom: undefined });
    return this;
  }

  delete(topic: string): boolean {
    const rest = this.rest;
    if (topic === this.firstTopic) {
      // The oldest of the others moves up, so keys() keeps the subscription order.
      const next = rest?.entries().next().value;
      this.firstTopic = next?.[0];
      this.firstPredicate = next?.[1].predicate;
      this.firstLiveFrom = next?.[1].liveFrom;
      if (next) topic = next[0];
      else return true;
    }
    if (!rest?.delete(topic)) return false;
    if (rest.size === 0) this.rest = undefined;
    return true;
  }

  clear(): void {
    this.firstTopic = undefined;
    this.firstPredicate = undefined;
    this.firstLiveFrom = undefined;
    this.rest = undefined;
  }

  /** The held topics, as a new array (safe to iterate while unsubscribing). */
  keys(): string[] {
    const out = this.firstTopic === undefined ? [] : [this.firstTopic];
    if (this.rest) for (const topic of this.rest.keys()) out.push(topic);
    return out;
  }

  liveFrom(topic: string): string | undefined {
    if (topic === this.firstTopic) return this.firstLiveFrom;
    return this.rest?.get(topic)?.liveFrom;
  }

  /** Sets (or with undefined, forgets) the live-from mark of a held topic. */
  setLiveFrom(topic: string, id: string | undefined): void {
    if (topic === this.firstTopic) this.firstLiveFrom = id;
    else {
      const held = this.rest?.get(topic);
      if (held) held.liveFrom = id;
    }
  }
}
