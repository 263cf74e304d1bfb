import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloseCode } from '@tracklight/protocol';
import type { WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { Connection } from './connection.js';
import { Fanout } from './fanout.js';
import { GatewayStats } from './gateway-stats.js';

/** Every live connection of this instance, indexed the ways the gateway and the admin API ask. */
@Injectable()
export class ConnectionRegistry {
  private readonly logger = new Logger('Gateway');
  private readonly byId = new Map<string, Connection>();
  private readonly bySocket = new WeakMap<WebSocket, Connection>();
  private readonly byUser = new Map<string, number>();
  private readonly byIp = new Map<string, number>();
  readonly fanout: Fanout;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    readonly stats: GatewayStats,
    metrics: GatewayMetrics,
  ) {
    const { maxBufferedBytes, conflateAboveBytes, coalesceMs } = config.ws;
    this.fanout = new Fanout(stats, metrics, { maxBufferedBytes, conflateAboveBytes, coalesceMs }, (conn) =>
      this.slowConsumer(conn),
    );
    metrics.bindGateway({
      framesIn: () => stats.messagesIn,
      framesOut: () => stats.messagesOut,
      connectionsByEndpoint: () => this.byEndpoint(),
      subscribersByTopic: () => this.fanout.counts(),
    });
  }

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<Connection> {
    return this.byId.values();
  }

  get(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  of(ws: WebSocket): Connection | undefined {
    return this.bySocket.get(ws);
  }

  connectionsOfUser(userId: string): number {
    return this.byUser.get(userId) ?? 0;
  }

  connectionsOfIp(ip: string): number {
    return this.byIp.get(ip) ?? 0;
  }

  add(conn: Connection): void {
    this.byId.set(conn.id, conn);
    this.bySocket.set(conn.ws, conn);
    this.byUser.set(conn.userId, this.connectionsOfUser(conn.userId) + 1);
    this.byIp.set(conn.remoteAddress, this.connectionsOfIp(conn.remoteAddress) + 1);
  }

  /** Forgets a closed connection and takes it out of every topic. Safe to call twice. */
  remove(conn: Connection): boolean {
    if (this.byId.get(conn.id) !== conn) return false;
    this.byId.delete(conn.id);
    this.bySocket.delete(conn.ws);
    decrement(this.byUser, conn.userId);
    decrement(this.byIp, conn.remoteAddress);
    for (const topic of conn.topics.keys()) this.fanout.remove(conn, topic);
    conn.topics.clear();
    conn.pending = undefined;
    conn.backlog = undefined;
    return true;
  }

  subscribe(conn: Connection, topic: string): void {
    this.fanout.add(conn, topic);
  }

  unsubscribe(conn: Connection, topic: string): void {
    conn.topics.delete(topic);
    conn.pending?.delete(topic);
    if (conn.pending?.size === 0) conn.pending = undefined;
    conn.floors?.delete(topic);
    this.fanout.remove(conn, topic);
  }

  byEndpoint(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const conn of this.byId.values()) out[conn.endpoint] = (out[conn.endpoint] ?? 0) + 1;
    return out;
  }

  /**
   * A client whose send buffer passed the limit is closed with 4409 and gets nothing more: it is
   * taken out of every topic at once so the buffer stops growing while the close frame waits.
   */
  private slowConsumer(conn: Connection): void {
    if (conn.closed) return;
    this.logger.warn({ msg: 'slow consumer', connectionId: conn.id, bufferedBytes: conn.socket.writableLength });
    for (const topic of conn.topics.keys()) this.fanout.remove(conn, topic);
    conn.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}
