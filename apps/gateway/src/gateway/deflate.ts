import type { WebSocket } from 'ws';

/** Frames under this many bytes are never compressed (docs/PROTOCOL.md section 3). */
export const DEFLATE_THRESHOLD = 1024;

/**
 * ws's permessage-deflate settings with WS_COMPRESSION=on. Without context takeover each message
 * is compressed on its own. ws keeps one zlib stream per connection once it compressed anything:
 * with zlib's defaults (32 KiB window, memLevel 8) that held about 226 KiB of RSS per connection
 * (docs/benchmarks.md, S11); a 1 KiB window and memLevel 5 hold about a tenth of it, and JSON's
 * redundancy (the same keys a few hundred bytes apart) stays within reach: a map snapshot
 * compresses to the same quarter of its size either way.
 */
export const DEFLATE_OPTIONS = {
  threshold: DEFLATE_THRESHOLD,
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  serverMaxWindowBits: 10,
  zlibDeflateOptions: { memLevel: 5 },
} as const;

interface SenderState {
  _state?: unknown;
  _queue?: unknown[];
}

/**
 * Whether ws's sender of a deflate connection is idle: no compression in flight, nothing queued
 * behind one. Then a frame under the threshold, which ws would write uncompressed at once, may be
 * written pre-built to the socket instead (the fan-out's JSON path): going through ws.send cost
 * half as much CPU again per delivery (S11, small frames). Reads ws 8's private Sender fields;
 * if their shape changes this answers false and everything goes through send, as before.
 */
export function senderIdle(ws: WebSocket): boolean {
  const sender = (ws as unknown as { _sender?: SenderState })._sender;
  return sender?._state === 0 && Array.isArray(sender._queue) && sender._queue.length === 0;
}
