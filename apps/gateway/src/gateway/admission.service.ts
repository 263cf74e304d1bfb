import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CloseCode,
  ErrorCode,
  MSGPACK_SUBPROTOCOL,
  PROTOCOL_VERSION,
  type AnyEndpointPath,
  type ConnectedData,
} from '@tracklight/protocol';
import type { WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Principal } from '../auth/principal.js';
import { TokenError } from '../auth/token-error.js';
import { ClusterService } from '../cluster/cluster.service.js';
import { SnapshotRegistry } from '../snapshots/snapshot-registry.js';
import { Connection, errorFrameJson } from './connection.js';
import { ConnectionRegistry } from './connection-registry.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { packJsonValue } from './msgpack.js';
import { RateLimit } from './rate-limiter.js';
import { SessionService } from './session.service.js';
import { SubscriptionService } from './subscription.service.js';
import { resourceAccess, staticTopicAccess } from './topic-access.js';
import { UpgradeGate, type Admission } from './upgrade-gate.js';

/**
 * After the upgrade: the contract's answer to a bad token (4401/4408), a forbidden endpoint
 * (4403) or a connection cap (4429) — one `error` frame, then the close — or else the
 * `connected` frame and the endpoint's auto-subscriptions.
 */
@Injectable()
export class AdmissionService {
  private readonly logger = new Logger('Gateway');
  /** The per-connection message rate limit: one instance for every connection. */
  private readonly rate: RateLimit;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly gate: UpgradeGate,
    private readonly sessions: SessionService,
    private readonly subscriptions: SubscriptionService,
    private readonly dispatcher: MessageDispatcher,
    private readonly cluster: ClusterService,
    private readonly snapshots: SnapshotRegistry,
  ) {
    this.rate = new RateLimit(config.ws.rateLimitPerSecond, config.ws.rateLimitBurst);
  }

  accept(ws: WebSocket, req: IncomingMessage): void {
    const admission = this.gate.admissionOf(req);
    if (!admission || this.sessions.draining) {
      ws.close(CloseCode.GOING_AWAY, 'server shutting down');
      return;
    }
    const { endpoint, remoteAddress, auth, topics: endpointTopics } = admission;
    if (auth instanceof TokenError) {
      const code = auth.code === ErrorCode.TOKEN_EXPIRED ? CloseCode.TOKEN_EXPIRED : CloseCode.UNAUTHORIZED;
      this.refuse(ws, code, auth.code, auth.message, { endpoint, reason: auth.reason, remoteAddress });
      return;
    }
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
    this.admit(ws, req, admission, auth).catch((err: unknown) => {
      this.logger.error({ msg: 'admission failed', err: err instanceof Error ? err.message : String(err) });
      this.dispatcher.drop(ws);
      ws.terminate();
    });
  }

  /**
   * Checks a per-resource endpoint's resource, takes a cluster-wide user slot, then registers the
   * connection and sends `connected`.
   */
  private async admit(ws: WebSocket, req: IncomingMessage, admission: Admission, principal: Principal): Promise<void> {
    const { endpoint, remoteAddress, resource, since } = admission;
    if (resource && !(await this.resourceAdmitted(ws, admission, principal))) return;
    const id = randomUUID();
    const max = this.config.ws.maxConnectionsPerUser;
    if (!(await this.cluster.acquireUserSlot(principal.userId, id, max))) {
      this.dispatcher.drop(ws);
      this.refuseUserCap(ws, endpoint, principal.userId);
      return;
    }
    if (ws.readyState !== ws.OPEN || this.sessions.draining) {
      // Gone (or shutting down) while the slot was being taken.
      this.dispatcher.drop(ws);
      this.sessions.releaseSlot(principal.userId, id);
      if (ws.readyState === ws.OPEN) ws.close(CloseCode.GOING_AWAY, 'server shutting down');
      return;
    }
    const endpointTopics = admission.topics;
    if (resource && this.subscriptions.crowdedResources([resource]).length) {
      this.sessions.releaseSlot(principal.userId, id);
      this.dispatcher.drop(ws);
      const max = this.config.ws.maxSubscribersPerResource;
      this.refuse(
        ws,
        CloseCode.TOO_MANY_CONNECTIONS,
        ErrorCode.LIMIT_EXCEEDED,
        `At most ${max} subscribers per resource on this instance: ${resource}`,
        { endpoint, userId: principal.userId, topics: [resource] },
      );
      return;
    }
    const conn = new Connection({
      id,
      ws,
      socket: req.socket,
      endpoint,
      userId: principal.userId,
      roles: principal.roles,
      expiresAt: principal.expiresAt,
      remoteAddress,
      rate: this.rate,
      stats: this.registry.stats,
    });
    this.registry.add(conn);
    this.sessions.start(conn);
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
        // A resume of a per-resource endpoint answers `subscribed` with `recovered`, as subscribe does.
        () => this.subscriptions.activate(conn, endpointTopics, undefined, since === undefined ? undefined : { since }),
        (err) => this.logger.error({ msg: 'auto-subscribe failed', connectionId: conn.id, err: String(err) }),
      );
    }
    this.dispatcher.release(ws);
  }

  /** FORBIDDEN and 4403, or UNKNOWN_TOPIC and 4404, before `connected`; true when admitted. */
  private async resourceAdmitted(ws: WebSocket, admission: Admission, principal: Principal): Promise<boolean> {
    const topic = admission.resource!;
    const access = await resourceAccess(topic, principal, this.snapshots);
    if (access === 'allowed') return true;
    this.dispatcher.drop(ws);
    if (ws.readyState !== ws.OPEN) return false;
    const context = { endpoint: admission.endpoint, userId: principal.userId, topics: [topic] };
    if (access === 'forbidden') {
      this.refuse(ws, CloseCode.FORBIDDEN, ErrorCode.FORBIDDEN, `Not allowed to read: ${topic}`, context);
    } else {
      this.refuse(ws, CloseCode.NOT_FOUND, ErrorCode.UNKNOWN_TOPIC, `No such resource: ${topic}`, context);
    }
    return false;
  }

  private refuseUserCap(ws: WebSocket, endpoint: AnyEndpointPath, userId: string): void {
    const max = this.config.ws.maxConnectionsPerUser;
    this.refuse(
      ws,
      CloseCode.TOO_MANY_CONNECTIONS,
      ErrorCode.LIMIT_EXCEEDED,
      `Too many connections for this user (limit ${max})`,
      { endpoint, userId },
    );
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
    const json = errorFrameJson(errorCode, message, context.topics ? { topics: context.topics } : {});
    ws.send(ws.protocol === MSGPACK_SUBPROTOCOL ? packJsonValue(json) : json);
    ws.close(closeCode, errorCode);
  }
}
