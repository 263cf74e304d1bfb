import type { IncomingMessage } from 'node:http';
import { MAX_TOPICS_PER_REQUEST, type SubscribeFrame } from '@tracklight/protocol';
import { validateClientObject } from '@tracklight/protocol/validation';

export type SseRequest = { ok: true; data: SubscribeFrame['data'] } | { ok: false; message: string };

function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * `GET /sse`'s query as a subscribe would carry it: `topics` (comma-separated), `since` (or the
 * Last-Event-ID header of a reconnecting EventSource, which wins: it is the newer position) and
 * `filter` (URL-encoded JSON). Checked by the same validator as a WebSocket subscribe.
 */
export function parseSseRequest(query: Record<string, unknown>, req: IncomingMessage): SseRequest {
  const topicsParam = one(query.topics);
  if (!topicsParam) return { ok: false, message: 'topics: a comma-separated list of 1 to 50 topics is required' };
  const topics = topicsParam
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (topics.length < 1 || topics.length > MAX_TOPICS_PER_REQUEST) {
    return { ok: false, message: `topics: between 1 and ${MAX_TOPICS_PER_REQUEST} topics` };
  }
  const data: Record<string, unknown> = { topics };
  const lastEventId = one(req.headers['last-event-id']);
  const since = lastEventId || one(query.since);
  if (since) data.since = since;
  const filterParam = one(query.filter);
  if (filterParam !== undefined) {
    try {
      data.filter = JSON.parse(filterParam) as unknown;
    } catch {
      return { ok: false, message: 'filter: not valid JSON' };
    }
  }
  const parsed = validateClientObject({ type: 'subscribe', data });
  if (!parsed.ok) return { ok: false, message: parsed.message };
  return { ok: true, data: (parsed.frame as SubscribeFrame).data };
}
