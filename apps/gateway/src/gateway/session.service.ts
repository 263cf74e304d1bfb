import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { CloseCode, ErrorCode, type AuthFrame } from '@tracklight/protocol';
import type { WebSocket } from 'ws';
import { TokenError } from '../auth/token-error.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { ClusterService } from '../cluster/cluster.service.js';
import { HealthService } from '../health/health.service.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { Connection } from './connection.js';
import { ConnectionRegistry } from './connection-registry.js';
import { ExpirySchedule } from './expiry-schedule.js';
import { SubscriptionService } from './subscription.service.js';

/** How long shutdown waits for clients to answer the 1001 close before terminating them. */
const SHUTDOWN_GRACE_MS = 3_000;

/**
 * An admitted connection's life: token expiry (4408) and refresh (`auth`), admin kicks (4403),
 * the end (slot released, logged with its close code) and the 1001 drain at shutdown.
 */
@Injectable()
export class SessionService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Gateway');
  private closing = false;
  /** One pong listener for every client (`this` is the client): no closure kept per idle connection. */
  private readonly onPong: (this: WebSocket) => void;
  /** Every connection's token deadline, under one timer (4408 when it passes). */
  private readonly expiries = new ExpirySchedule<Connection>((conn) => this.expire(conn));

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly verifier: TokenVerifier,
    private readonly subscriptions: SubscriptionService,
    private readonly cluster: ClusterService,
    private readonly metrics: GatewayMetrics,
    health: HealthService,
  ) {
    this.onPong = function (this: WebSocket): void {
      const conn = registry.of(this);
      if (conn) conn.alive = true;
    };
    health.setConnectionCounter(() => registry.size);
    cluster.setStatsSource({ connectionStats: () => ({ total: registry.size, byEndpoint: registry.byEndpoint() }) });
  }

  /** True once shutdown began: new connections are turned away with 1001. */
  get draining(): boolean {
    return this.closing;
  }

  /** A connection was just registered: heartbeat answers and the token's expiry. */
  start(conn: Connection): void {
    conn.ws.on('pong', this.onPong);
    this.expiries.set(conn);
  }

  disconnected(ws: WebSocket, code: number | undefined): void {
    const conn = this.registry.of(ws);
    if (!conn) return;
    conn.closed = true;
    this.expiries.delete(conn);
    this.registry.remove(conn);
    this.releaseSlot(conn.userId, conn.id);
    this.logger.log({
      msg: 'disconnected',
      connectionId: conn.id,
      userId: conn.userId,
      endpoint: conn.endpoint,
      code: conn.closeCode ?? code,
      messagesIn: conn.messagesIn,
      messagesOut: conn.messagesOut,
    });
  }

  /** `auth`: the same user's fresh token replaces the credentials; anything else keeps them. */
  async reauthenticate(conn: Connection, frame: AuthFrame): Promise<void> {
    let principal;
    try {
      principal = this.verifier.verify(frame.data.token);
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      this.metrics.authFailed(err.reason, 'ws_auth');
      conn.sendError(ErrorCode.UNAUTHORIZED, `Token refused: ${err.message}`, { ref: frame.ref });
      return;
    }
    if (principal.userId !== conn.userId) {
      conn.sendError(ErrorCode.UNAUTHORIZED, 'The token is for another user', { ref: frame.ref });
      return;
    }
    conn.roles = principal.roles;
    conn.expiresAt = principal.expiresAt;
    this.expiries.set(conn);
    conn.reply('authenticated', { expiresAt: principal.expiresAt.toISOString() }, frame.ref);
    const dropped = await this.subscriptions.revalidate(conn);
    if (dropped.length) {
      conn.sendError(ErrorCode.FORBIDDEN, `No longer allowed to read: ${dropped.join(', ')}`, { topics: dropped });
    }
    this.logger.log({ msg: 'reauthenticated', connectionId: conn.id, userId: conn.userId, roles: conn.roles, dropped });
  }

  /** Closes a connection on an administrator's request (DELETE /ws/connections/:id). */
  kick(connectionId: string): boolean {
    const conn = this.registry.get(connectionId);
    if (!conn || conn.closed) return false;
    this.logger.log({ msg: 'closed by admin', connectionId, userId: conn.userId });
    conn.close(CloseCode.FORBIDDEN, 'closed by an administrator');
    return true;
  }

  releaseSlot(userId: string, connectionId: string): void {
    this.cluster.releaseUserSlot(userId, connectionId).catch((err: unknown) => {
      this.logger.warn({
        msg: 'user slot release failed',
        userId,
        err: err instanceof Error ? err.message : String(err),
      });
    });
  }

  /** Every client gets 1001; waits for their closes (bounded), before Nest closes the server. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    const closing: Promise<void>[] = [];
    for (const conn of this.registry.all()) {
      closing.push(new Promise((resolve) => conn.ws.once('close', () => resolve())));
      conn.close(CloseCode.GOING_AWAY, 'server shutting down');
    }
    if (!closing.length) return;
    this.logger.log({ msg: 'draining connections', count: closing.length });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closing),
      new Promise((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    this.expiries.clear();
  }

  private expire(conn: Connection): void {
    if (conn.closed) return;
    this.logger.log({ msg: 'token expired', connectionId: conn.id, userId: conn.userId });
    conn.sendError(ErrorCode.TOKEN_EXPIRED, 'The token has expired: send a fresh one with auth, or reconnect');
    conn.close(CloseCode.TOKEN_EXPIRED, 'token expired');
  }
}
