import type { PackageStatus } from '@tracklight/protocol';
import { api, ApiError } from '../lib/api.js';
import type { Pin } from '../map/WorldMap.js';

export interface Movement {
  at: number;
  pin: Pin;
}

interface EventFrame {
  type: string;
  data: { trackingNumber?: string; latitude?: number; longitude?: number; status?: PackageStatus };
  timestamp: string;
}

const MAX_PAGES = 50;

/**
 * Package movements of the last `hours` from the history API (`GET /events`, contract revision 2):
 * `package_update` frames of `package_updates`, page by page through `next`, oldest first.
 */
export async function loadMovements(token: string, hours: number, signal: AbortSignal): Promise<Movement[]> {
  const from = new Date(Date.now() - hours * 3_600_000).toISOString();
  const out: Movement[] = [];
  let since: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ topics: 'package_updates', limit: '1000' });
    if (since) query.set('since', since);
    else query.set('from', from);
    let body: { items: EventFrame[]; next: string | null };
    try {
      body = await api(`/events?${query.toString()}`, token, { signal });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        throw new Error('This server has no history API (GET /events) yet.', { cause: err });
      throw err;
    }
    for (const f of body.items) {
      const d = f.data;
      if (f.type !== 'package_update' || !d.trackingNumber || d.latitude === undefined || d.longitude === undefined)
        continue;
      out.push({
        at: Date.parse(f.timestamp),
        pin: {
          trackingNumber: d.trackingNumber,
          latitude: d.latitude,
          longitude: d.longitude,
          status: d.status ?? 'in_transit',
        },
      });
    }
    since = body.next;
    if (!since || body.items.length === 0) break;
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Where every package was at time `t`: its latest movement at or before it. */
export function positionsAt(movements: Movement[], t: number): Pin[] {
  const latest = new Map<string, Pin>();
  for (const m of movements) {
    if (m.at > t) break;
    latest.set(m.pin.trackingNumber, m.pin);
  }
  return [...latest.values()];
}
