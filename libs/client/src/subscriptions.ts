import {
  compareEventIds,
  isEventId,
  type ReplyFrame,
  type ServerFrame,
  type SubscribedFrame,
  type SubscriptionFilter,
  type UnsubscribedFrame,
} from '@tracklight/protocol';
import type { Emitter } from './emitter.js';
import { ClientClosedError, ServerError } from './errors.js';
import { resubscribeGroups, ResumeTracker } from './resume.js';
import {
  SubscriptionState,
  TopicEntry,
  type AnyHandler,
  type SubscribeOptions,
  type Subscription,
} from './subscription.js';
import type { ClientEvents, Recovery } from './types.js';

export interface SubscriptionLink {
  readonly isConnected: boolean;
  request<R extends ReplyFrame>(frame: {
    type: 'subscribe' | 'unsubscribe';
    data: { topics: string[]; since?: string; filter?: SubscriptionFilter };
  }): Promise<R>;
  addRecovery(recovery: Recovery): void;
}

/**
 * The topics held across reconnects: subscribing and resuming with `since`, dropping events already
 * seen, reporting what was recovered, and routing events to their handlers.
 */
export class Subscriptions {
  private readonly topics = new Map<string, TopicEntry>();
  private readonly lastIds = new Map<string, string>();
  private newestId?: string;
  private resume?: ResumeTracker;

  constructor(
    private readonly link: SubscriptionLink,
    private readonly emitter: Emitter<ClientEvents>,
  ) {}

  subscribe(topic: string, handler: AnyHandler, options: SubscribeOptions): Subscription {
    let entry = this.topics.get(topic);
    const filterChanged = entry !== undefined && JSON.stringify(entry.filter) !== JSON.stringify(options.filter);
    if (!entry) {
      entry = new TopicEntry(options.filter);
      this.topics.set(topic, entry);
      if (this.link.isConnected) this.subscribeGroup([topic], undefined, options.filter);
    } else if (filterChanged && options.filter !== undefined) {
      entry.filter = options.filter;
      if (this.link.isConnected) this.subscribeGroup([topic], undefined, options.filter);
    }
    entry.addHandler(handler);
    // Bound to this entry: after unsubscribe and a new subscribe, an old handle stays unsubscribed.
    const held = entry;
    const state = (): SubscriptionState =>
      this.topics.get(topic) === held ? held.state : SubscriptionState.Unsubscribed;
    return {
      topic,
      ready: held.ready,
      get state() {
        return state();
      },
      unsubscribe: () => this.unsubscribe(topic, handler),
    };
  }

  unsubscribe(topic: string, handler?: AnyHandler): void {
    const entry = this.topics.get(topic);
    if (!entry) return;
    if (handler) entry.handlers.delete(handler);
    else entry.handlers.clear();
    if (entry.handlers.size > 0) return;
    this.topics.delete(topic);
    this.lastIds.delete(topic);
    entry.settle(new ClientClosedError(`unsubscribed from ${topic}`));
    if (entry.active && this.link.isConnected) this.sendUnsubscribe([topic]);
  }

  state(topic: string): SubscriptionState {
    return this.topics.get(topic)?.state ?? SubscriptionState.Unsubscribed;
  }

  isActive(topic: string): boolean {
    return this.topics.get(topic)?.active === true;
  }

  held(): string[] {
    return [...this.topics.keys()];
  }

  lastEventId(topic: string): string | undefined {
    return this.lastIds.get(topic);
  }

  /** Hands a topic frame to its handlers; false for an event already processed (replay overlapping live delivery). */
  route(frame: ServerFrame): boolean {
    const topic = 'topic' in frame ? frame.topic : undefined;
    if (topic !== undefined && 'id' in frame && typeof frame.id === 'string') {
      if (!this.acceptEventId(topic, frame.id)) return false;
      this.topics.get(topic)?.dispatch(frame);
    } else if (topic !== undefined && frame.type === 'snapshot') {
      this.topics.get(topic)?.dispatch(frame);
    }
    return true;
  }

  onConnected(resuming: boolean): void {
    const held = [...this.topics].map(([topic, entry]) => ({
      topic,
      filter: entry.filter,
      everActive: entry.everActive,
    }));
    const groups = resubscribeGroups(held, this.lastIds, this.newestId, resuming);
    const resumed = groups.filter((g) => g.since !== undefined).length;
    this.resume = resuming && resumed > 0 ? new ResumeTracker(resumed) : undefined;
    for (const g of groups) this.subscribeGroup(g.topics, g.since, g.filter);
  }

  onSocketLost(): void {
    this.deactivate();
    this.resume = undefined;
  }

  deactivate(): void {
    for (const entry of this.topics.values()) entry.active = false;
  }

  private acceptEventId(topic: string, id: string): boolean {
    const last = this.lastIds.get(topic);
    if (last !== undefined) {
      const duplicate = isEventId(id) && isEventId(last) ? compareEventIds(id, last) <= 0 : id === last;
      if (duplicate) return false;
    }
    this.lastIds.set(topic, id);
    if (isEventId(id) && (this.newestId === undefined || compareEventIds(id, this.newestId) > 0)) this.newestId = id;
    return true;
  }

  private sendUnsubscribe(topics: string[]): void {
    this.link.request<UnsubscribedFrame>({ type: 'unsubscribe', data: { topics } }).catch((err: Error) => {
      if (!(err instanceof ClientClosedError)) this.emitter.emit('error', err);
    });
  }

  private subscribeGroup(topics: string[], since?: string, filter?: SubscriptionFilter): void {
    const data: { topics: string[]; since?: string; filter?: SubscriptionFilter } = { topics };
    if (since !== undefined) data.since = since;
    if (filter !== undefined) data.filter = filter;
    this.link.request<SubscribedFrame>({ type: 'subscribe', data }).then(
      (reply) => this.onSubscribed(topics, since, reply.data.recovered),
      (err: Error) => this.onSubscribeFailed(topics, since, filter, err),
    );
  }

  private onSubscribed(topics: string[], since: string | undefined, recovered: boolean | undefined): void {
    const abandoned: string[] = [];
    for (const topic of topics) {
      const entry = this.topics.get(topic);
      if (entry) entry.confirm();
      else abandoned.push(topic);
    }
    // Unsubscribed while the subscribe was in flight: release the server side too.
    if (abandoned.length && this.link.isConnected) this.sendUnsubscribe(abandoned);
    const held = topics.filter((t) => this.topics.has(t));
    // A first subscription has nothing to recover; only a resume the server vouched for is recovered.
    if (held.length)
      this.emitter.emit('subscribed', { topics: held, recovered: since !== undefined && recovered === true });
    if (since === undefined) return;
    if (recovered === false) {
      // The history is gone; ids may have been reset too, so stop comparing with the old ones.
      for (const topic of topics) this.lastIds.delete(topic);
      this.emitter.emit('gap', { topics });
    } else {
      this.emitter.emit('recovered', { topics });
    }
    this.noteResumed(recovered === false ? topics : []);
  }

  private onSubscribeFailed(
    topics: string[],
    since: string | undefined,
    filter: SubscriptionFilter | undefined,
    err: Error,
  ): void {
    // A lost socket is not an error of the subscription: the next connection resubscribes.
    if (err instanceof ClientClosedError) return;
    this.emitter.emit('error', err);
    if (!(err instanceof ServerError)) {
      // A timeout: the next connection subscribes these topics again.
      if (since !== undefined) this.noteResumed(topics);
      return;
    }
    if (err.code === 'RATE_LIMITED') {
      setTimeout(() => {
        if (this.link.isConnected) this.subscribeGroup(topics, since, filter);
      }, 1000);
      return;
    }
    // subscribe is all-or-nothing: drop the refused topics (all of them when the error names none)
    // and subscribe the others again.
    const refused = new Set(err.topics?.length ? err.topics : topics);
    for (const topic of refused) {
      const entry = this.topics.get(topic);
      if (!entry) continue;
      this.topics.delete(topic);
      this.lastIds.delete(topic);
      entry.settle(err);
    }
    const rest = topics.filter((t) => !refused.has(t) && this.topics.has(t));
    if (rest.length && this.link.isConnected) this.subscribeGroup(rest, since, filter);
    else if (since !== undefined) this.noteResumed([]);
  }

  private noteResumed(gapTopics: string[]): void {
    const recovery = this.resume?.answered(gapTopics);
    if (!recovery || !this.link.isConnected) return;
    this.resume = undefined;
    this.link.addRecovery(recovery);
  }
}
