import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { createRedisClient, whenReady } from '../bus/redis/redis-client.js';
import { ACQUIRE_SLOT_SCRIPT } from './acquire-slot-script.js';
import { NO_CONNECTIONS, type ClusterInstance, type ConnectionStatsSource } from './cluster-instance.js';
import { ClusterKeys } from './cluster-keys.js';
import { ClusterService } from './cluster.service.js';
import { UserSlots } from './user-slots.js';

export interface RedisClusterOptions {
  /** How often this instance refreshes its registration. */
  heartbeatMs: number;
  /** How long a registration outlives its last refresh: a killed instance vanishes after this. */
  ttlMs: number;
  startupTimeoutMs: number;
}

const DEFAULTS: RedisClusterOptions = { heartbeatMs: 5_000, ttlMs: 15_000, startupTimeoutMs: 5_000 };

type ClusterClient = Redis & {
  tracklightAcquireSlot(
    key: string,
    connectionId: string,
    instanceId: string,
    max: number,
    prefix: string,
  ): Promise<number>;
};

interface Registration {
  instanceId: string;
  startedAt: string;
  updatedAt: string;
  connections: ClusterInstance['connections'];
}

/**
 * Cluster view and cluster-wide per-user cap on Redis. While Redis is unreachable the cap falls
 * back to this instance's own count (so it still holds per instance), and the slots taken or
 * released meanwhile are written to Redis when it returns.
 */
export class RedisClusterService extends ClusterService implements OnModuleInit, OnApplicationShutdown {
  readonly instanceId: string;
  private readonly logger = new Logger(RedisClusterService.name);
  private readonly client: ClusterClient;
  private readonly keys: ClusterKeys;
  private readonly options: RedisClusterOptions;
  private readonly startedAt = new Date().toISOString();
  private readonly slots = new UserSlots();
  private pendingReleases: [userId: string, connectionId: string][] = [];
  private source: ConnectionStatsSource | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(config: AppConfig, options: Partial<RedisClusterOptions> = {}) {
    super();
    if (!config.redisUrl) throw new Error('RedisClusterService needs REDIS_URL');
    this.instanceId = config.instanceId;
    this.options = { ...DEFAULTS, ...options };
    this.keys = new ClusterKeys(config.redisPrefix);
    this.client = createRedisClient(config.redisUrl, 'cluster') as ClusterClient;
    this.client.defineCommand('tracklightAcquireSlot', { numberOfKeys: 1, lua: ACQUIRE_SLOT_SCRIPT });
    // Every (re)connect re-registers and writes back what changed while Redis was away.
    this.client.on('ready', () => void this.resync());
  }

  async onModuleInit(): Promise<void> {
    await whenReady(this.client, this.options.startupTimeoutMs);
    await this.resync();
    this.timer = setInterval(() => void this.refresh(), this.options.heartbeatMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    if (this.client.status === 'ready') {
      const tx = this.client.multi().del(this.keys.instance(this.instanceId)).srem(this.keys.members, this.instanceId);
      for (const [userId, connectionId] of this.slots.entries()) tx.hdel(this.keys.userSlots(userId), connectionId);
      await tx.exec().catch(() => undefined);
    }
    this.client.disconnect();
  }

  setStatsSource(source: ConnectionStatsSource): void {
    this.source = source;
  }

  async instances(): Promise<ClusterInstance[]> {
    const self = this.selfView();
    let others: ClusterInstance[] = [];
    try {
      const ids = (await this.client.smembers(this.keys.members)).filter((id) => id !== this.instanceId);
      if (ids.length) {
        const values = await this.client.mget(ids.map((id) => this.keys.instance(id)));
        const gone = ids.filter((_, i) => values[i] === null);
        if (gone.length) await this.client.srem(this.keys.members, ...gone);
        others = values.flatMap((v) => (v === null ? [] : [this.parse(v)])).filter((x) => x !== undefined);
      }
    } catch (err) {
      this.logger.warn(`cluster view unavailable: ${(err as Error).message}`);
    }
    others.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    return [self, ...others];
  }

  async acquireUserSlot(userId: string, connectionId: string, max: number): Promise<boolean> {
    if (this.client.status === 'ready') {
      try {
        const held = await this.client.tracklightAcquireSlot(
          this.keys.userSlots(userId),
          connectionId,
          this.instanceId,
          max,
          this.keys.instancePrefix,
        );
        if (held === 1) this.slots.add(userId, connectionId);
        return held === 1;
      } catch (err) {
        this.logger.warn(
          `cluster-wide connection cap unavailable, using this instance's count: ${(err as Error).message}`,
        );
      }
    }
    return this.slots.tryAcquire(userId, connectionId, max);
  }

  async releaseUserSlot(userId: string, connectionId: string): Promise<void> {
    if (!this.slots.has(userId, connectionId)) return;
    this.slots.remove(userId, connectionId);
    try {
      await this.client.hdel(this.keys.userSlots(userId), connectionId);
    } catch {
      this.pendingReleases.push([userId, connectionId]);
    }
  }

  private selfView(): ClusterInstance {
    return {
      instanceId: this.instanceId,
      startedAt: this.startedAt,
      updatedAt: new Date().toISOString(),
      connections: this.source?.connectionStats() ?? NO_CONNECTIONS,
      self: true,
    };
  }

  private parse(json: string): ClusterInstance | undefined {
    try {
      const r = JSON.parse(json) as Registration;
      return { ...r, self: false };
    } catch {
      return undefined;
    }
  }

  private async refresh(): Promise<void> {
    if (this.stopped || this.client.status !== 'ready') return;
    const { self: _self, ...registration } = this.selfView();
    try {
      await this.client
        .multi()
        .set(this.keys.instance(this.instanceId), JSON.stringify(registration), 'PX', this.options.ttlMs)
        .sadd(this.keys.members, this.instanceId)
        .exec();
    } catch (err) {
      this.logger.warn(`cluster registration failed: ${(err as Error).message}`);
    }
  }

  private async resync(): Promise<void> {
    if (this.stopped || this.client.status !== 'ready') return;
    await this.refresh();
    const releases = this.pendingReleases;
    this.pendingReleases = [];
    const tx = this.client.multi();
    for (const [userId, connectionId] of releases) tx.hdel(this.keys.userSlots(userId), connectionId);
    for (const [userId, connectionId] of this.slots.entries()) {
      tx.hset(this.keys.userSlots(userId), connectionId, this.instanceId);
    }
    try {
      await tx.exec();
    } catch {
      this.pendingReleases.push(...releases);
    }
  }
}
