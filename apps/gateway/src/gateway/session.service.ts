import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  CloseCode,
  ENDPOINTS,
  ErrorCode,
  PROTOCOL_VERSION,
  type AuthFrame,
  type ConnectedData,
  type EndpointPath,
} from '@tracklight/protocol';
import type { WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Principal } from '../auth/principal.js';
import { TokenError } from '../auth/token-error.js';
import { ClusterService } from '../cluster/cluster.service.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { HealthService } from '../health/health.service.js';
import { Connection, errorFrameJson } from './connection.js';
import { ConnectionRegistry } from './connection-registry.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { SubscriptionService } from './subscription.service.js';
import { staticTopicAccess } from './topic-access.js';
import { UpgradeGate } from './upgrade-gate.js';

/** setTimeout's ceiling (about 24.8 days); longer token lifetimes re-arm in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How long shutdown waits for clients to answer the 1001 close before terminating them. */
const SHUTDOWN_GRACE_MS = 3_000;

/**
 * A connection's life: admission after the upgrade (token, endpoint topics, caps), the
 * `connected` frame, token expiry and refresh, heartbeat, and the 1001 drain at shutdown.
 */
@Injectable()
export class SessionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Gateway');
  private heartbeat: NodeJS.Timeout | undefined;
  private draining = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly gate: UpgradeGate,
    private readonly verifier: TokenVerifier,
    private readonly subscriptions: SubscriptionService,
    private readonly dispatcher: MessageDispatcher,
    private readonly cluster: ClusterService,
    health: HealthService,
  ) {
    health.setConnectionCounter(() => registry.size);
    cluster.setStatsSource({ connectionStats: () => ({ total: registry.size, byEndpoint: registry.byEndpoint() }) });
  }

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => this.beat(), this.config.ws.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  accept(ws: WebSocket, req: IncomingMessage): void {
    const admission = this.gate.admissionOf(req);
    if (!admission || this.draining) {
      ws.close(CloseCode.GOING_AWAY, 'server shutting down');
      return;
    }
    const { endpoint, remoteAddress, auth } = admission;
    if (auth instanceof TokenError) {
      const code = auth.code === ErrorCode.TOKEN_EXPIRED ? CloseCode.TOKEN_EXPIRED : CloseCode.UNAUTHORIZED;
      this.refuse(ws, code, auth.code, auth.message, { endpoint, reason: auth.reason, remoteAddress });
      return;
    }
    const endpointTopics: readonly string[] = ENDPOINTS[endpoint];
    const forbidden = endpointTopics.filter((t) => staticTopicAccess(t, auth) !== 'allowed');
    if (forbidden.length) {
      this.refuse(ws, CloseCode.FORBIDDEN, ErrorCode.FORBIDDEN, `Not allowed to read: ${forbidden.join(', ')}`, {
        endpoint,
        userId: auth.userId,
        topics: forbidden,
      });
      return;
    }
    const { maxConnectionsPerIp } = this.config.ws;
    // The instance's own count first: a user over the cap here is over it everywhere, no Redis needed.
    if (this.registry.connectionsOfUser(auth.userId) >= this.config.ws.maxConnectionsPerUser) {
      this.refuseUserCap(ws, endpoint, auth.userId);
      return;
    }
    if (maxConnectionsPerIp > 0 && this.registry.connectionsOfIp(remoteAddress) >= maxConnectionsPerIp) {
      this.refuse(
        ws,
        CloseCode.TOO_MANY_CONNECTIONS,
        ErrorCode.LIMIT_EXCEEDED,
        `Too many connections from this address (limit ${maxConnectionsPerIp})`,
        { endpoint, userId: auth.userId, remoteAddress },
      );
      return;
    }
    this.dispatcher.hold(ws);
    this.admit(ws, req, { endpoint, remoteAddress, principal: auth }).catch((err: unknown) => {
      this.logger.error({ msg: 'admission failed', err: err instanceof Error ? err.message : String(err) });
      this.dispatcher.drop(ws);
      ws.terminate();
    });
  }

  /** Takes a cluster-wide user slot, then registers the connection and sends `connected`. */
  private async admit(
    ws: WebSocket,
    req: IncomingMessage,
    { endpoint, remoteAddress, principal }: { endpoint: EndpointPath; remoteAddress: string; principal: Principal },
  ): Promise<void> {
    const id = randomUUID();
    const max = this.config.ws.maxConnectionsPerUser;
    if (!(await this.cluster.acquireUserSlot(principal.userId, id, max))) {
      this.dispatcher.drop(ws);
      this.refuseUserCap(ws, endpoint, principal.userId);
      return;
    }
    if (ws.readyState !== ws.OPEN || this.draining) {
      // Gone (or shutting down) while the slot was being taken.
      this.dispatcher.drop(ws);
      this.releaseSlot(principal.userId, id);
      if (ws.readyState === ws.OPEN) ws.close(CloseCode.GOING_AWAY, 'server shutting down');
      return;
    }
    const endpointTopics: readonly string[] = ENDPOINTS[endpoint];
    const conn = new Connection({
      id,
      ws,
      socket: req.socket,
      endpoint,
      userId: principal.userId,
      roles: principal.roles,
      expiresAt: principal.expiresAt,
      remoteAddress,
      rate: { perSecond: this.config.ws.rateLimitPerSecond, burst: this.config.ws.rateLimitBurst },
      stats: this.registry.stats,
    });
    this.registry.add(conn);
    ws.on('pong', () => {
      conn.alive = true;
    });
    this.armExpiry(conn);
    const connected: ConnectedData = {
      connectionId: conn.id,
      endpoint,
      userId: conn.userId,
      roles: conn.roles,
      topics: [...endpointTopics],
      heartbeatIntervalMs: this.config.ws.heartbeatIntervalMs,
      protocolVersion: PROTOCOL_VERSION,
      instanceId: this.config.instanceId,
    };
    conn.reply('connected', connected);
    this.logger.log({
      msg: 'connected',
      connectionId: conn.id,
      userId: conn.userId,
      endpoint,
      remoteAddress,
      topics: endpointTopics,
    });
    if (endpointTopics.length) {
      conn.run(
        () => this.subscriptions.activate(conn, endpointTopics, undefined),
        (err) => this.logger.error({ msg: 'auto-subscribe failed', connectionId: conn.id, err: String(err) }),
      );
    }
    this.dispatcher.release(ws);
  }

  disconnected(ws: WebSocket, code: number | undefined): void {
    const conn = this.registry.of(ws);
    if (!conn) return;
    conn.closed = true;
    clearTimeout(conn.expiryTimer);
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
      conn.sendError(ErrorCode.UNAUTHORIZED, `Token refused: ${err.message}`, { ref: frame.ref });
      return;
    }
    if (principal.userId !== conn.userId) {
      conn.sendError(ErrorCode.UNAUTHORIZED, 'The token is for another user', { ref: frame.ref });
      return;
    }
    conn.roles = principal.roles;
    conn.expiresAt = principal.expiresAt;
    this.armExpiry(conn);
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

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    clearInterval(this.heartbeat);
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
  }

  /** Terminates peers that did not answer the previous ping, then pings everyone else. */
  private beat(): void {
    for (const conn of this.registry.all()) {
      if (!conn.alive) {
        this.logger.log({ msg: 'heartbeat timeout', connectionId: conn.id, userId: conn.userId });
        conn.terminate();
        continue;
      }
      conn.alive = false;
      if (conn.open) conn.ws.ping();
    }
  }

  private armExpiry(conn: Connection): void {
    clearTimeout(conn.expiryTimer);
    const delay = conn.expiresAt.getTime() - Date.now();
    conn.expiryTimer = setTimeout(
      () => {
        if (conn.expiresAt.getTime() > Date.now()) {
          this.armExpiry(conn);
          return;
        }
        this.logger.log({ msg: 'token expired', connectionId: conn.id, userId: conn.userId });
        conn.sendError(ErrorCode.TOKEN_EXPIRED, 'The token has expired: send a fresh one with auth, or reconnect');
        conn.close(CloseCode.TOKEN_EXPIRED, 'token expired');
      },
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    conn.expiryTimer.unref();
  }

  private refuseUserCap(ws: WebSocket, endpoint: EndpointPath, userId: string): void {
    const max = this.config.ws.maxConnectionsPerUser;
    this.refuse(
      ws,
      CloseCode.TOO_MANY_CONNECTIONS,
      ErrorCode.LIMIT_EXCEEDED,
      `Too many connections for this user (limit ${max})`,
      { endpoint, userId },
    );
  }

  private releaseSlot(userId: string, connectionId: string): void {
    this.cluster.releaseUserSlot(userId, connectionId).catch((err: unknown) => {
      this.logger.warn({
        msg: 'user slot release failed',
        userId,
        err: err instanceof Error ? err.message : String(err),
      });
    });
  }

  /** One `error` frame, then the close code: the contract's answer to a refused connection. */
  private refuse(
    ws: WebSocket,
    closeCode: number,
    errorCode: ErrorCode,
    message: string,
    context: Record<string, unknown> & { topics?: string[] },
  ): void {
    this.logger.log({ msg: 'connection refused', closeCode, code: errorCode, ...context });
    ws.send(errorFrameJson(errorCode, message, context.topics ? { topics: context.topics } : {}));
    ws.close(closeCode, errorCode);
  }
}
