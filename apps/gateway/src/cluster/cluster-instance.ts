/** Open WebSocket connections of one instance. */
export interface ConnectionStats {
  total: number;
  /** Keyed by endpoint path, e.g. `/ws/packages`. */
  byEndpoint: Record<string, number>;
}

/**
 * Implemented by the gateway and handed to ClusterService.setStatsSource(): the cluster view
 * pulls the counts when it refreshes this instance's registration, so the hot path of a
 * connect or disconnect does no Redis work.
 */
export interface ConnectionStatsSource {
  connectionStats(): ConnectionStats;
}

/** One live gateway instance, as /ws/status shows it in its `cluster` section. */
export interface ClusterInstance {
  instanceId: string;
  /** ISO-8601 UTC. */
  startedAt: string;
  /** When the instance last refreshed its registration (ISO-8601 UTC). */
  updatedAt: string;
  connections: ConnectionStats;
  /** True for the instance answering. */
  self: boolean;
}

export const NO_CONNECTIONS: ConnectionStats = { total: 0, byEndpoint: {} };
