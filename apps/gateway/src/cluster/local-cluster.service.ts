import type { AppConfig } from '../config/app-config.js';
import { NO_CONNECTIONS, type ClusterInstance, type ConnectionStatsSource } from './cluster-instance.js';
import { ClusterService } from './cluster.service.js';
import { UserSlots } from './user-slots.js';

/** The cluster of one: the embedded default without REDIS_URL. */
export class LocalClusterService extends ClusterService {
  readonly instanceId: string;
  private readonly startedAt = new Date().toISOString();
  private source: ConnectionStatsSource | undefined;
  private readonly slots = new UserSlots();

  constructor(config: AppConfig) {
    super();
    this.instanceId = config.instanceId;
  }

  setStatsSource(source: ConnectionStatsSource): void {
    this.source = source;
  }

  instances(): Promise<ClusterInstance[]> {
    const now = new Date().toISOString();
    return Promise.resolve([
      {
        instanceId: this.instanceId,
        startedAt: this.startedAt,
        updatedAt: now,
        connections: this.source?.connectionStats() ?? NO_CONNECTIONS,
        self: true,
      },
    ]);
  }

  acquireUserSlot(userId: string, connectionId: string, max: number): Promise<boolean> {
    return Promise.resolve(this.slots.tryAcquire(userId, connectionId, max));
  }

  releaseUserSlot(userId: string, connectionId: string): Promise<void> {
    this.slots.remove(userId, connectionId);
    return Promise.resolve();
  }
}
