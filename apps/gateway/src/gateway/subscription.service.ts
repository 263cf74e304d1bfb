import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  compareEventIds,
  ErrorCode,
  type SubscribeFrame,
  type SubscriptionFilter,
  type UnsubscribeFrame,
} from '@tracklight/protocol';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EventBus, type BusEvent, type ReplayResult } from '../bus/event-bus.js';
import { SnapshotRegistry } from '../snapshots/snapshot-registry.js';
import type { Connection } from './connection.js';
import { ConnectionRegistry } from './connection-registry.js';
import { compileFilters, type EventPredicate } from './filters.js';
import { checkTopics, topicAccess, type AccessReport } from './topic-access.js';

/**
 * subscribe / unsubscribe and the catch-up that follows a subscribe (replay after `since`, or
 * snapshots). While a catch-up is in flight, live events of those topics are parked in
 * `conn.pending` by the fan-out and flushed afterwards, so nothing is lost or sent twice.
 */
@Injectable()
export class SubscriptionService {
  private readonly logger = new Logger('Gateway');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly bus: EventBus,
    private readonly snapshots: SnapshotRegistry,
  ) {}

  /** Synchronous for the everyday subscribe (no ownership lookup, no replay, no snapshot). */
  subscribe(conn: Connection, frame: SubscribeFrame): Promise<void> | void {
    const topics = [...new Set(frame.data.topics)];
    const access = checkTopics(topics, conn, this.snapshots);
    if (access instanceof Promise) return access.then((a) => this.subscribeChecked(conn, frame, topics, a));
    return this.subscribeChecked(conn, frame, topics, access);
  }

  private subscribeChecked(
    conn: Connection,
    frame: SubscribeFrame,
    topics: string[],
    access: AccessReport,
  ): Promise<void> | void {
    const { ref } = frame;
    const { since, filter } = frame.data;
    if (conn.closed) return;
    if (access.unknown.length) {
      conn.sendError(ErrorCode.UNKNOWN_TOPIC, `Unknown topic: ${access.unknown.join(', ')}`, {
        ref,
        topics: access.unknown,
      });
      return;
    }
    if (access.forbidden.length) {
      conn.sendError(ErrorCode.FORBIDDEN, `Not allowed to read: ${access.forbidden.join(', ')}`, {
        ref,
        topics: access.forbidden,
      });
      return;
    }
    const filters = compileFilters(topics, filter);
    if (!filters.ok) {
      conn.sendError(ErrorCode.INVALID_MESSAGE, filters.message, { ref });
      return;
    }
    const added = topics.filter((t) => !conn.topics.has(t));
    const crowded = this.crowdedResources(added);
    if (crowded.length) {
      conn.sendError(
        ErrorCode.LIMIT_EXCEEDED,
        `At most ${this.config.ws.maxSubscribersPerResource} subscribers per resource on this instance: ${crowded.join(', ')}`,
        { ref, topics: crowded },
      );
      return;
    }
    const max = this.config.ws.maxSubscriptions;
    if (conn.topics.size + added.length > max) {
      conn.sendError(
        ErrorCode.LIMIT_EXCEEDED,
        `At most ${max} subscriptions per connection (${conn.topics.size} held, ${added.length} new)`,
        { ref, topics: added },
      );
      return;
    }
    // debug, not info: one log write per client message was up to a third of inbound cost (S5 in docs/benchmarks.md).
    this.logger.debug({ msg: 'subscribe', connectionId: conn.id, userId: conn.userId, topics, since });
    return this.activate(conn, topics, filters.byTopic, { ref, since, filter });
  }

  /**
   * Which of these topics (not yet held) would pass WS_MAX_SUBSCRIBERS_PER_RESOURCE: the cap of
   * `package:{tn}` and `schedule:{id}`, per instance (docs/PROTOCOL.md section 6).
   */
  crowdedResources(added: readonly string[]): string[] {
    const max = this.config.ws.maxSubscribersPerResource;
    return added.filter(
      (t) => (t.startsWith('package:') || t.startsWith('schedule:')) && this.registry.fanout.subscribers(t) >= max,
    );
  }

  unsubscribe(conn: Connection, frame: UnsubscribeFrame): void {
    const topics = [...new Set(frame.data.topics)];
    for (const t of topics) this.registry.unsubscribe(conn, t);
    this.logger.debug({ msg: 'unsubscribe', connectionId: conn.id, userId: conn.userId, topics });
    conn.reply('unsubscribed', { topics }, frame.ref);
  }

  /** After a role change (`auth`): drops held topics the user may no longer read. */
  async revalidate(conn: Connection): Promise<string[]> {
    const held = [...conn.topics.keys()];
    const verdicts = await Promise.all(held.map((t) => topicAccess(t, conn, this.snapshots)));
    const dropped = held.filter((_, i) => verdicts[i] !== 'allowed');
    for (const t of dropped) this.registry.unsubscribe(conn, t);
    return dropped;
  }

  /**
   * Registers the topics and catches the client up. `reply` is absent for an endpoint's
   * auto-subscriptions, which are announced by `connected` rather than `subscribed`.
   */
  activate(
    conn: Connection,
    topics: readonly string[],
    filters: ReadonlyMap<string, EventPredicate | undefined> | undefined,
    reply?: { ref?: string; since?: string; filter?: SubscriptionFilter },
  ): Promise<void> | void {
    const since = reply?.since;
    const filter = reply?.filter;
    const catchUp = since === undefined ? topics.filter((t) => this.snapshots.has(t)) : topics;
    // Topics already held have been live all along: a resume must not send those events again.
    // Where the bus knows no position yet (fresh process, durable history behind it), nothing is
    // recorded, so such a resume replays everything rather than risk a gap.
    let held: Map<string, string> | undefined;
    let added: string[] | undefined;
    const mark = this.bus.lastEventId();
    for (const t of topics) {
      if (!conn.topics.has(t)) (added ??= []).push(t);
      else if (since !== undefined) {
        const from = conn.topics.liveFrom(t);
        if (from !== undefined) (held ??= new Map()).set(t, from);
      }
    }
    // Parking before indexing: from the first live event on, the fan-out sees the pending list.
    for (const t of catchUp) (conn.pending ??= new Map()).set(t, []);
    for (const t of topics) {
      conn.topics.set(t, filters?.get(t));
      this.registry.subscribe(conn, t);
    }
    if (added) for (const t of added) conn.topics.setLiveFrom(t, mark);
    if (since === undefined) {
      if (reply) conn.reply('subscribed', { topics: [...topics] }, reply.ref);
      if (catchUp.length) return this.sendSnapshots(conn, catchUp, filter);
      return;
    }
    return this.resume(conn, topics, since, reply?.ref, held, filter);
  }

  private async resume(
    conn: Connection,
    topics: readonly string[],
    since: string,
    ref?: string,
    held?: ReadonlyMap<string, string>,
    filter?: SubscriptionFilter,
  ): Promise<void> {
    let result: ReplayResult;
    try {
      result = await this.bus.replay(topics, since);
    } catch (err) {
      this.logger.warn({ msg: 'replay failed', connectionId: conn.id, err: errorMessage(err) });
      result = { recovered: false, events: [] };
    }
    if (conn.closed) return;
    conn.reply('subscribed', { topics: [...topics], recovered: result.recovered }, ref);
    if (!result.recovered) {
      await this.sendSnapshots(conn, topics, filter);
      return;
    }
    const lastSent = new Map<string, string>();
    for (const t of topics) lastSent.set(t, since);
    for (const event of result.events) {
      const liveFrom = held?.get(event.topic);
      if (liveFrom !== undefined && compareEventIds(event.id, liveFrom) > 0) continue;
      this.registry.fanout.deliverTo(conn, event);
      lastSent.set(event.topic, event.id);
    }
    this.flush(conn, topics, lastSent);
  }

  /**
   * Snapshot of each topic that has a provider, then the events parked meanwhile. An event whose
   * id is not newer than the bus's last id taken just before the snapshot was read was published
   * before the read, so the snapshot already reflects it (modules persist, then publish): it is
   * not sent again.
   */
  private async sendSnapshots(conn: Connection, topics: readonly string[], filter?: SubscriptionFilter): Promise<void> {
    const withProvider = topics.filter((t) => this.snapshots.has(t));
    const before = this.bus.lastEventId();
    const states = await Promise.all(
      withProvider.map((t) =>
        this.snapshots.snapshot(t, filter).catch((err: unknown) => {
          this.logger.warn({ msg: 'snapshot failed', topic: t, err: errorMessage(err) });
          return undefined;
        }),
      ),
    );
    if (conn.closed) return;
    const lastSent = new Map<string, string>();
    withProvider.forEach((t, i) => {
      const state = states[i];
      if (state === undefined || !conn.topics.has(t)) return;
      conn.reply('snapshot', state, undefined, t);
      if (before !== undefined) lastSent.set(t, before);
    });
    this.flush(conn, topics, lastSent);
  }

  /**
   * Sends the parked events of `topics` in publish order, skipping ids already covered, and
   * leaves each topic's newest sent id as its floor for the live feed (Connection.floors).
   */
  private flush(conn: Connection, topics: readonly string[], lastSent: ReadonlyMap<string, string>): void {
    const parked: BusEvent[] = [];
    const newest = new Map(lastSent);
    for (const t of topics) {
      const list = conn.pending?.get(t);
      if (!list) continue;
      conn.pending?.delete(t);
      if (conn.pending?.size === 0) conn.pending = undefined;
      const last = lastSent.get(t);
      for (const e of list) {
        if (last !== undefined && compareEventIds(e.id, last) <= 0) continue;
        parked.push(e);
        newest.set(t, e.id);
      }
    }
    if (conn.closed) return;
    parked.sort((a, b) => compareEventIds(a.id, b.id));
    for (const e of parked) this.registry.fanout.deliverTo(conn, e);
    for (const [t, id] of newest) if (conn.topics.has(t)) conn.setFloor(t, id);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
