import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { isStoredTopic } from '@tracklight/protocol';
import type { Principal } from '../auth/principal.js';
import type { BusEvent } from '../bus/event-bus.js';
import { parseEventId } from '../bus/event-id.js';
import { EventLog } from '../bus/outbox/event-log.js';
import { topicAccess } from '../gateway/topic-access.js';
import { badField } from '../packages/package-errors.js';
import { SnapshotRegistry } from '../snapshots/snapshot-registry.js';
import type { HistoryQuery } from './history.query.js';

export interface HistoryPage {
  /** Event frames as sent on WebSocket, in publish order. */
  items: BusEvent[];
  /** Pass as `since` for the next page; null when nothing more was stored up to `to`. */
  next: string | null;
}

const MAX_TOPICS = 50;

/**
 * The history API: pages of the event log, the same durable history WebSocket resumes read.
 * Input is checked in the order of a subscribe: the request's shape (400), topic names (404),
 * stored or not (400), then who may read them (403).
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly log: EventLog,
    private readonly registry: SnapshotRegistry,
  ) {}

  async page(user: Principal, query: HistoryQuery): Promise<HistoryPage> {
    const topics = [...new Set(query.topics.split(',').map((t) => t.trim()))];
    if (!topics.length || topics.some((t) => !t)) throw badField('topics', 'topics must list 1 to 50 topics');
    if (topics.length > MAX_TOPICS) throw badField('topics', `topics must list at most ${MAX_TOPICS} topics`);
    if ((query.since === undefined) === (query.from === undefined)) {
      throw badField('since', 'give exactly one of since (an event id) or from (a time)');
    }
    const from = query.since !== undefined ? { after: query.since } : { fromMs: Date.parse(query.from!) };
    const to = this.upperBound(query.to);
    const access = await Promise.all(topics.map((t) => topicAccess(t, user, this.registry)));
    // Like subscribe: a topic that does not exist (UNKNOWN_TOPIC there) is a 404.
    const unknown = topics.filter((_, i) => access[i] === 'unknown');
    if (unknown.length) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'unknown topics', topics: unknown });
    }
    const notStored = topics.filter((t) => !isStoredTopic(t));
    if (notStored.length) throw badField('topics', `not stored topics (no history): ${notStored.join(', ')}`);
    const forbidden = topics.filter((_, i) => access[i] === 'forbidden');
    if (forbidden.length) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'not readable', topics: forbidden });
    }

    const limit = query.limit ?? 100;
    const rows = await this.log.store.range(topics, from, to, limit + 1);
    const page = rows.slice(0, limit);
    // A notification meant for another user is skipped, exactly as the gateway does live.
    const items = page.filter((e) => !isOthersNotification(e, user.userId));
    const last = page[page.length - 1];
    return { items, next: rows.length > limit && last ? last.id : null };
  }

  /** `to` as the last id to include: an id as given, a time as the last id of that millisecond. */
  private upperBound(to: string | undefined): string | undefined {
    if (to === undefined) return undefined;
    if (parseEventId(to)) return to;
    const ms = Date.parse(to);
    if (Number.isNaN(ms)) throw badField('to', 'to must be an event id or an ISO-8601 time');
    return `${ms}-9999999999999999`;
  }
}

function isOthersNotification(event: BusEvent, userId: string): boolean {
  if (event.type !== 'notification') return false;
  const target = event.data.userId;
  return target !== undefined && target !== userId;
}
