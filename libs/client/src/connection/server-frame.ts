import type { ServerFrame } from '@tracklight/protocol';

/** Text that is not JSON: worth reporting, unlike a frame of a shape this client ignores. */
export class NotJsonError extends Error {
  constructor() {
    super('server sent a frame that is not JSON');
  }
}

/**
 * The frame in a message, undefined for what is not a frame (binary data, JSON without a `type`),
 * which a newer server may send and this client skips.
 */
export function parseServerFrame(raw: unknown): ServerFrame | NotJsonError | undefined {
  if (typeof raw !== 'string') return undefined;
  let frame: ServerFrame;
  try {
    frame = JSON.parse(raw) as ServerFrame;
  } catch {
    return new NotJsonError();
  }
  if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return undefined;
  return frame;
}
