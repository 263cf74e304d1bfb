import type { BusEvent } from '../event-bus.js';
import { dataJson } from '../event-json.js';

/**
 * A durable event as storage takes it: the payload already JSON, the text its frame carries. The
 * recorder keeps these, not events, for the up to 200 ms until a flush: the payload's objects
 * then die young instead of being promoted to V8's old generation.
 */
export interface DurableRow {
  readonly id: string;
  readonly topic: string;
  readonly type: string;
  readonly data: string;
  readonly timestamp: string;
}

export function durableRow(event: BusEvent): DurableRow {
  return { id: event.id, topic: event.topic, type: event.type, data: dataJson(event), timestamp: event.timestamp };
}

export function rowEvent(row: DurableRow): BusEvent {
  return {
    id: row.id,
    topic: row.topic,
    type: row.type as BusEvent['type'],
    data: JSON.parse(row.data) as BusEvent['data'],
    timestamp: row.timestamp,
  };
}
