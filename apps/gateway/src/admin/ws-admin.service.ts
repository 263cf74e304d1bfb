import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ClusterInstance } from '../cluster/cluster-instance.js';
import { ClusterService } from '../cluster/cluster.service.js';
import { ConnectionRegistry } from '../gateway/connection-registry.js';
import type { Connection } from '../gateway/connection.js';
import { SessionService } from '../gateway/session.service.js';
import type { ListConnectionsQuery } from './list-connections.query.js';

export interface WsStatus {
  instanceId: string;
  uptimeSeconds: number;
  connections: { total: number; byEndpoint: Record<string, number> };
  topics: Record<string, number>;
  messages: { in: number; out: number; dropped: number };
  /** The deployment: every live gateway instance (this one first) and their connections. */
  cluster: { instances: ClusterInstance[]; connections: number };
}

export interface ConnectionItem {
  connectionId: string;
  userId: string;
  endpoint: string;
  topics: string[];
  connectedAt: string;
  lastActivityAt: string;
  messagesIn: number;
  messagesOut: number;
  bufferedBytes: number;
  remoteAddress: string;
}

export interface ConnectionList {
  total: number;
  items: ConnectionItem[];
}

@Injectable()
export class WsAdminService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly sessions: SessionService,
    private readonly cluster: ClusterService,
  ) {}

  async status(): Promise<WsStatus> {
    const { stats } = this.registry;
    const instances = await this.cluster.instances();
    return {
      instanceId: this.config.instanceId,
      uptimeSeconds: Math.floor((Date.now() - stats.startedAt) / 1000),
      connections: { total: this.registry.size, byEndpoint: this.registry.byEndpoint() },
      topics: this.registry.fanout.counts(),
      messages: { in: stats.messagesIn, out: stats.messagesOut, dropped: stats.dropped },
      cluster: { instances, connections: instances.reduce((n, i) => n + i.connections.total, 0) },
    };
  }

  /** Filtered, oldest first, then paged; `total` counts the filtered set before paging. */
  list(query: ListConnectionsQuery): ConnectionList {
    const matching: Connection[] = [];
    for (const conn of this.registry.all()) {
      if (conn.closed) continue;
      if (query.userId !== undefined && conn.userId !== query.userId) continue;
      if (query.endpoint !== undefined && conn.endpoint !== query.endpoint) continue;
      if (query.topic !== undefined && !conn.topics.has(query.topic)) continue;
      matching.push(conn);
    }
    const page = matching.slice(query.offset, query.offset + query.limit);
    return { total: matching.length, items: page.map(item) };
  }

  close(connectionId: string): boolean {
    return this.sessions.kick(connectionId);
  }
}

function item(conn: Connection): ConnectionItem {
  return {
    connectionId: conn.id,
    userId: conn.userId,
    endpoint: conn.endpoint,
    topics: [...conn.topics.keys()],
    connectedAt: conn.connectedAt.toISOString(),
    lastActivityAt: new Date(conn.lastActivityAt).toISOString(),
    messagesIn: conn.messagesIn,
    messagesOut: conn.messagesOut,
    bufferedBytes: conn.bufferedBytes,
    remoteAddress: conn.remoteAddress,
  };
}
