import type { Socket } from 'node:net';
import { getDefaultHighWaterMark } from 'node:stream';
import type { BusEvent } from '../bus/event-bus.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import { Backlog } from './backlog.js';
import { DEFLATE_THRESHOLD, senderIdle } from './deflate.js';
import type { Connection } from './connection.js';
import type { GatewayStats } from './gateway-stats.js';
import { eventPackedFrame } from './msgpack.js';
import { eventSseMessage } from './sse/sse-frame.js';
import { eventFrame, framePayload } from './wire-frame.js';

/**
 * The hot path: one bus event to every subscriber of its topic.
 *
 * - The topic -> connections index is a Map of Sets, updated by subscribe/unsubscribe/close.
 * - Each event is serialised once per encoding in use (JSON, MessagePack: msgpack.ts), and framed
 *   once (wire-frame.ts); the same Buffer is written to every subscriber's raw socket. This is safe
 *   next to ws's own sends on a connection without permessage-deflate, since the gateway never
 *   sends Blobs: ws then writes every frame synchronously to the same socket, so frames never
 *   interleave and order is kept. A connection that negotiated deflate (WS_COMPRESSION=on) gets
 *   the same payload through ws's own send instead, which compresses and queues it in order. A
 *   socket whose ws is no longer OPEN (closing, closed) is never written to.
 * - Per-subscriber work is a Map lookup (pending replay/snapshot), an optional filter predicate on
 *   the parsed event and the notification target check; nothing is re-serialised.
 * - Slow consumers are detected right after the write, from the socket's own buffer size.
 * - A client whose socket buffer passed `conflateAboveBytes` is behind: its frames queue in a
 *   per-connection Backlog (conflating map_update per package and dashboard_metrics) until the
 *   socket drains; backlog + socket buffer past `maxBufferedBytes` closes it with 4409. A client
 *   that keeps up only pays one property read for this.
 * - Metrics are counted once per event (GatewayMetrics), never per client.
 * - WS_COALESCE_MS > 0 batches each client's writes per window (see send()).
 */
export class Fanout {
  private readonly index = new Map<string, Set<Connection>>();
  private readonly limits: { maxBufferedBytes: number; conflateAboveBytes: number };
  private readonly coalesceMs: number;
  /** Sockets corked in the current coalescing window; all uncorked together when it ends. */
  private corked = new Set<Socket>();
  private coalesceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stats: GatewayStats,
    private readonly metrics: GatewayMetrics,
    limits: { maxBufferedBytes: number; conflateAboveBytes: number; coalesceMs?: number },
    private readonly onSlowConsumer: (conn: Connection) => void,
  ) {
    // Never below the socket's high-water mark: a buffer past it guarantees a coming 'drain'.
    const conflateAboveBytes = Math.max(limits.conflateAboveBytes, getDefaultHighWaterMark(false));
    this.limits = { maxBufferedBytes: limits.maxBufferedBytes, conflateAboveBytes };
    this.coalesceMs = limits.coalesceMs ?? 0;
  }

  add(conn: Connection, topic: string): void {
    let set = this.index.get(topic);
    if (!set) {
      set = new Set();
      this.index.set(topic, set);
    }
    set.add(conn);
  }

  remove(conn: Connection, topic: string): void {
    const set = this.index.get(topic);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.index.delete(topic);
  }

  subscribers(topic: string): number {
    return this.index.get(topic)?.size ?? 0;
  }

  /** Topic -> subscriber count, for GET /ws/status. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [topic, set] of this.index) out[topic] = set.size;
    return out;
  }

  deliver(event: BusEvent): void {
    const publishedAt = this.metrics.eventReceived(event.topic, event.type, event.timestamp);
    const subscribers = this.index.get(event.topic);
    if (!subscribers) return;
    const target = targetUser(event);
    let frame: Buffer | undefined;
    let packed: Buffer | undefined;
    let sse: Buffer | undefined;
    let written = 0;
    for (const conn of subscribers) {
      if (target !== undefined && conn.userId !== target) continue;
      if (conn.pending !== undefined) {
        const pending = conn.pending.get(event.topic);
        if (pending) {
          pending.push(event);
          continue;
        }
      }
      if (conn.floors !== undefined && !conn.aboveFloor(event.topic, event.id)) continue;
      const predicate = conn.topics.get(event.topic);
      if (predicate && !predicate(event)) continue;
      let out: Buffer;
      if (conn.msgpack) out = packed ??= eventPackedFrame(event);
      else if (conn.sse) out = sse ??= eventSseMessage(event);
      else out = frame ??= eventFrame(event);
      if (this.write(conn, out, event)) written += 1;
    }
    this.metrics.eventSent(publishedAt, written);
  }

  /** Sends one event to one connection (replay and pending flush), with the same checks. */
  deliverTo(conn: Connection, event: BusEvent): void {
    if (!visibleTo(conn, event)) return;
    const frame = conn.msgpack ? eventPackedFrame(event) : conn.sse ? eventSseMessage(event) : eventFrame(event);
    if (this.write(conn, frame, event)) this.metrics.deliveries += 1;
  }

  /** Writes, or queues when the client is behind; true when the frame went to the socket. */
  private write(conn: Connection, frame: Buffer, event: BusEvent): boolean {
    if (!conn.open) {
      this.metrics.droppedEvents += 1;
      return false;
    }
    if (conn.sse) return this.writeThroughSend(conn, frame);
    if (conn.deflate) {
      const payload = framePayload(frame);
      // Small and nothing in ws's compression queue: ws would write it uncompressed at once.
      if (payload.length >= DEFLATE_THRESHOLD || !senderIdle(conn.ws)) return this.writeThroughSend(conn, payload);
      this.send(conn.socket, frame);
      conn.messagesOut += 1;
      this.stats.messagesOut += 1;
      if (conn.ws.bufferedAmount > this.limits.maxBufferedBytes) this.slow(conn);
      return true;
    }
    const socket = conn.socket;
    if (conn.backlog === undefined && socket.writableLength <= this.limits.conflateAboveBytes) {
      this.send(socket, frame);
      conn.messagesOut += 1;
      this.stats.messagesOut += 1;
      if (socket.writableLength > this.limits.maxBufferedBytes) this.slow(conn);
      return true;
    }
    if (conn.backlog === undefined) {
      conn.backlog = new Backlog();
      // The last write left more than the high-water mark buffered, so 'drain' will come.
      socket.once('drain', () => this.flush(conn));
    }
    if (conn.backlog.pushEvent(event, frame)) this.metrics.conflated += 1;
    if (conn.backlog.bytes + socket.writableLength > this.limits.maxBufferedBytes) this.slow(conn);
    return false;
  }

  /**
   * Through the connection's own send: ws frames, compresses (above its 1 KiB threshold) and
   * queues in order; an SSE stream writes the message to its HTTP response (chunked, so not to
   * the raw socket). No backlog or conflation here: what waits is counted by bufferedAmount, and
   * past the limit the client is a slow consumer as anywhere.
   */
  private writeThroughSend(conn: Connection, payload: Buffer): boolean {
    conn.ws.send(payload, { binary: conn.msgpack });
    conn.messagesOut += 1;
    this.stats.messagesOut += 1;
    if (conn.ws.bufferedAmount > this.limits.maxBufferedBytes) this.slow(conn);
    return true;
  }

  /** The socket drained: sends queued frames until it is behind again or the backlog is empty. */
  private flush(conn: Connection): void {
    const backlog = conn.backlog;
    if (!backlog) return;
    if (!conn.open) {
      this.discard(conn);
      return;
    }
    const socket = conn.socket;
    while (socket.writableLength <= this.limits.conflateAboveBytes) {
      const next = backlog.shift();
      if (!next) {
        conn.backlog = undefined;
        return;
      }
      this.send(socket, next.frame);
      conn.messagesOut += 1;
      this.stats.messagesOut += 1;
      if (next.event) this.metrics.deliveries += 1;
    }
    socket.once('drain', () => this.flush(conn));
  }

  /**
   * WS_COALESCE_MS > 0: the first write of a window corks the socket, and one timer uncorks every
   * corked socket when the window ends, so each client gets one write (writev) per window instead
   * of one per event. Corking the socket itself keeps ws's own sends (replies, pings, the close
   * frame) in order with the events, and its buffered size still counts for the slow-consumer
   * and conflation limits.
   */
  private send(socket: Socket, frame: Buffer): void {
    if (this.coalesceMs > 0 && !this.corked.has(socket)) {
      socket.cork();
      this.corked.add(socket);
      this.coalesceTimer ??= setTimeout(() => this.uncorkAll(), this.coalesceMs);
    }
    socket.write(frame);
  }

  private uncorkAll(): void {
    const sockets = this.corked;
    this.corked = new Set();
    this.coalesceTimer = undefined;
    for (const socket of sockets) socket.uncork();
  }

  private slow(conn: Connection): void {
    this.discard(conn);
    this.onSlowConsumer(conn);
  }

  private discard(conn: Connection): void {
    if (!conn.backlog) return;
    this.metrics.droppedEvents += conn.backlog.size;
    conn.backlog = undefined;
  }
}

/** A notification with `data.userId` reaches only that user (docs/PROTOCOL.md section 4). */
function targetUser(event: BusEvent): string | undefined {
  if (event.type !== 'notification') return undefined;
  return event.data.userId;
}

/** Whether `conn` should receive `event` given its notification target and its topic filter. */
export function visibleTo(conn: Connection, event: BusEvent): boolean {
  const target = targetUser(event);
  if (target !== undefined && conn.userId !== target) return false;
  const predicate = conn.topics.get(event.topic);
  return !predicate || predicate(event);
}
