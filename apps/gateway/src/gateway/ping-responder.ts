import type { WebSocket } from 'ws';

/** ws's own default (maxPendingAutoPongs): a peer that pings without reading the pongs is cut off. */
export const MAX_PENDING_PONGS = 60;

/** Pongs written but not yet flushed, per client; an entry only while some are in flight. */
const pendingPongs = new WeakMap<WebSocket, number>();

/**
 * Answers a client's ping frame with a pong of the same payload (RFC 6455 5.5.2), as ws's autoPong
 * does, with the same bound on unflushed pongs. ws's autoPong keeps a closure on every client for
 * that count (about 100 bytes per idle connection, S1 in docs/benchmarks.md); this shared 'ping'
 * listener (`this` is the client) allocates only while a pong is in flight. The server runs with
 * `autoPong: false`.
 */
export function answerPing(this: WebSocket, data: Buffer): void {
  if (this.readyState !== this.OPEN) return;
  const pending = pendingPongs.get(this) ?? 0;
  if (pending >= MAX_PENDING_PONGS) {
    this.terminate();
    return;
  }
  pendingPongs.set(this, pending + 1);
  this.pong(data, false, () => pongFlushed(this));
}

function pongFlushed(ws: WebSocket): void {
  const left = (pendingPongs.get(ws) ?? 1) - 1;
  if (left > 0) pendingPongs.set(ws, left);
  else pendingPongs.delete(ws);
}
