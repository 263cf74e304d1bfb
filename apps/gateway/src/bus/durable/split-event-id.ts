import { parseEventId } from '../event-id.js';

/** An event id as the [ms, seq] the tables store it as, so the database orders ids as the bus does. */
export function splitEventId(id: string): [number, number] {
  const parsed = parseEventId(id);
  if (!parsed) throw new Error(`malformed event id: ${id}`);
  return parsed;
}
