import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import {
  ClusterAdmin,
  compareConnections,
  type AdminConnectionSource,
  type ClusterCloseResult,
  type ClusterConnectionList,
  type ConnectionFilter,
  type ConnectionItem,
  type ConnectionSlice,
} from '../cluster/cluster-admin.js';
import type { ClusterInstance } from '../cluster/cluster-instance.js';
import { ClusterService } from '../cluster/cluster.service.js';
import { ConnectionRegistry } from '../gateway/connection-registry.js';
import type { Connection } from '../gateway/connection.js';
import { SessionService } from '../gateway/session.service.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
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

export type { ConnectionItem };

/** This instance's list, or with Redis the whole cluster's (then with `instanceId` per item). */
export type ConnectionList = { total: number; items: ConnectionItem[] } | ClusterConnectionList;

@Injectable()
export class WsAdminService implements AdminConnectionSource {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly sessions: SessionService,
    private readonly cluster: ClusterService,
    private readonly clusterAdmin: ClusterAdmin,
    private readonly metrics: GatewayMetrics,
  ) {
    // The other instances ask this one for its connections through the cluster admin channel.
    clusterAdmin.setSource(this);
  }

  async status(): Promise<WsStatus> {
    const { stats } = this.registry;
    const instances = await this.cluster.instances();
    return {
      instanceId: this.config.instanceId,
      uptimeSeconds: Math.floor((Date.now() - stats.startedAt) / 1000),
      connections: { total: this.registry.size, byEndpoint: this.registry.byEndpoint() },
      topics: this.registry.fanout.counts(),
      messages: { in: stats.messagesIn, out: stats.messagesOut, dropped: this.metrics.dropped },
      cluster: { instances, connections: instances.reduce((n, i) => n + i.connections.total, 0) },
    };
  }

  /** Filtered, oldest first, then paged; `total` counts the filtered set before paging. */
  async list(query: ListConnectionsQuery): Promise<ConnectionList> {
    const { userId, endpoint, topic, offset, limit } = query;
    if (this.clusterAdmin.spansInstances) return this.clusterAdmin.list({ userId, endpoint, topic }, offset, limit);
    const matching = this.filtered(query);
    const page = matching.slice(offset, offset + limit);
    return { total: matching.length, items: page.map(item) };
  }

  /** Closes it wherever it lives: 'unknown' when an instance that might hold it did not answer. */
  async closeAnywhere(connectionId: string): Promise<ClusterCloseResult> {
    if (this.clusterAdmin.spansInstances) return this.clusterAdmin.close(connectionId);
    return this.close(connectionId) ? 'closed' : 'absent';
  }

  matching(filter: ConnectionFilter, max: number): ConnectionSlice {
    const items = this.filtered(filter).map(item).sort(compareConnections);
    return { total: items.length, items: items.slice(0, max) };
  }

  close(connectionId: string): boolean {
    return this.sessions.kick(connectionId);
  }

  private filtered(filter: ConnectionFilter): Connection[] {
    const matching: Connection[] = [];
    for (const conn of this.registry.all()) {
      if (conn.closed) continue;
      if (filter.userId !== undefined && conn.userId !== filter.userId) continue;
      if (filter.endpoint !== undefined && conn.endpoint !== filter.endpoint) continue;
      if (filter.topic !== undefined && !conn.topics.has(filter.topic)) continue;
      matching.push(conn);
    }
    return matching;
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
