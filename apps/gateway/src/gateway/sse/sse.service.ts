import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorCode, PROTOCOL_VERSION, SSE_PATH, type ConnectedData } from '@tracklight/protocol';
import type { WebSocket } from 'ws';
import { bearerToken } from '../../auth/bearer.js';
import type { Principal } from '../../auth/principal.js';
import { TokenError } from '../../auth/token-error.js';
import { TokenVerifier } from '../../auth/token-verifier.js';
import { ClusterService } from '../../cluster/cluster.service.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { GatewayMetrics } from '../../observability/gateway-metrics.js';
import { SnapshotRegistry } from '../../snapshots/snapshot-registry.js';
import { Connection } from '../connection.js';
import { ConnectionRegistry } from '../connection-registry.js';
import { compileFilters } from '../filters.js';
import { RateLimit } from '../rate-limiter.js';
import { SessionService } from '../session.service.js';
import { SubscriptionService } from '../subscription.service.js';
import { checkTopics } from '../topic-access.js';
import { UpgradeGate } from '../upgrade-gate.js';
import { parseSseRequest } from './sse-request.js';
import { SseSocket } from './sse-socket.js';

/**
 * `GET /sse` (docs/PROTOCOL.md section 5): the checks of a WebSocket connect and subscribe, answered
 * as HTTP errors before the stream starts, then a Connection whose socket is the SSE stream,
 * registered, subscribed and caught up by the same services as every WebSocket client.
 */
@Injectable()
export class SseService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Gateway');
  /** SSE streams get no client messages; the limit only fills the Connection's fields. */
  private readonly rate: RateLimit;
  private readonly streams = new Set<SseSocket>();
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verifier: TokenVerifier,
    private readonly gate: UpgradeGate,
    private readonly registry: ConnectionRegistry,
    private readonly sessions: SessionService,
    private readonly subscriptions: SubscriptionService,
    private readonly snapshots: SnapshotRegistry,
    private readonly cluster: ClusterService,
    private readonly metrics: GatewayMetrics,
  ) {
    this.rate = new RateLimit(config.ws.rateLimitPerSecond, config.ws.rateLimitBurst);
  }

  /** One timer writes the keep-alive comment to every stream (docs/PROTOCOL.md: at least every 15 s). */
  onApplicationBootstrap(): void {
    this.keepAlive = setInterval(() => {
      for (const stream of this.streams) stream.ping();
    }, this.config.ws.sseKeepAliveMs);
    this.keepAlive.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.keepAlive);
  }

  async open(req: Request, res: Response): Promise<void> {
    if (this.sessions.draining) throw new HttpException('Server shutting down', HttpStatus.SERVICE_UNAVAILABLE);
    const principal = this.authenticate(req);
    const request = parseSseRequest(req.query, req);
    if (!request.ok) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: request.message });
    const topics = [...new Set(request.data.topics)];
    const access = await checkTopics(topics, principal, this.snapshots);
    if (access.unknown.length) {
      throw new NotFoundException({
        statusCode: 404,
        error: 'Not Found',
        code: ErrorCode.UNKNOWN_TOPIC,
        message: `Unknown topic: ${access.unknown.join(', ')}`,
        topics: access.unknown,
      });
    }
    if (access.forbidden.length) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        code: ErrorCode.FORBIDDEN,
        message: `Not allowed to read: ${access.forbidden.join(', ')}`,
        topics: access.forbidden,
      });
    }
    const filters = compileFilters(topics, request.data.filter);
    if (!filters.ok) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: filters.message });
    const crowded = this.subscriptions.crowdedResources(topics);
    if (crowded.length) {
      const max = this.config.ws.maxSubscribersPerResource;
      tooMany(`At most ${max} subscribers per resource on this instance: ${crowded.join(', ')}`, crowded);
    }
    const max = this.config.ws.maxConnectionsPerUser;
    const id = randomUUID();
    if (
      this.registry.connectionsOfUser(principal.userId) >= max ||
      !(await this.cluster.acquireUserSlot(principal.userId, id, max))
    ) {
      tooMany(`Too many connections for this user (limit ${max})`);
    }
    if (req.socket.destroyed) {
      this.sessions.releaseSlot(principal.userId, id);
      return;
    }
    this.stream(req, res, principal, id, topics, filters.byTopic, request.data.since);
  }

  private authenticate(req: Request): Principal {
    const query = req.query as Record<string, unknown>;
    const token = (typeof query.token === 'string' ? query.token : null) ?? bearerToken(req.headers.authorization);
    try {
      return this.verifier.verify(token);
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      this.metrics.authFailed(err.reason, 'sse');
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', code: err.code, message: err.message });
    }
  }

  private stream(
    req: Request,
    res: Response,
    principal: Principal,
    id: string,
    topics: string[],
    filters: Parameters<SubscriptionService['activate']>[2],
    since: string | undefined,
  ): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    // nginx buffers proxied responses unless told not to; an event stream must not wait there.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    const socket = new SseSocket(res);
    const conn = new Connection({
      id,
      // SseSocket provides every member of WebSocket that Connection and the session services use.
      ws: socket as unknown as WebSocket,
      socket: req.socket,
      endpoint: SSE_PATH,
      userId: principal.userId,
      roles: principal.roles,
      expiresAt: principal.expiresAt,
      remoteAddress: this.gate.clientAddress(req),
      rate: this.rate,
      stats: this.registry.stats,
      sse: true,
    });
    this.registry.add(conn);
    this.sessions.start(conn);
    this.streams.add(socket);
    socket.once('close', (code: number) => {
      this.streams.delete(socket);
      this.metrics.closed(code);
      this.sessions.disconnected(socket as unknown as WebSocket, code);
    });
    const connected: ConnectedData = {
      connectionId: id,
      endpoint: SSE_PATH,
      userId: conn.userId,
      roles: conn.roles,
      topics,
      heartbeatIntervalMs: this.config.ws.sseKeepAliveMs,
      protocolVersion: PROTOCOL_VERSION,
      instanceId: this.config.instanceId,
    };
    conn.reply('connected', connected);
    this.logger.log({ msg: 'connected', connectionId: id, userId: conn.userId, endpoint: SSE_PATH, topics, since });
    conn.run(
      () => this.subscriptions.activate(conn, topics, filters, since === undefined ? undefined : { since }),
      (err) => this.logger.error({ msg: 'sse subscribe failed', connectionId: id, err: String(err) }),
    );
  }
}

function tooMany(message: string, topics?: string[]): never {
  throw new HttpException(
    { statusCode: 429, error: 'Too Many Requests', code: ErrorCode.LIMIT_EXCEEDED, message, ...(topics && { topics }) },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
