import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { HealthStatus, SystemHealth } from '@tracklight/protocol';
import { AgentsService } from '../agents/agents.service.js';
import { EventBus } from '../bus/event-bus.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { HealthService } from '../health/health.service.js';
import { SnapshotRegistry } from '../snapshots/snapshot-registry.js';
import { EventLoopLag } from './event-loop-lag.js';

/** Above this p99 event-loop delay the instance answers too slowly to call itself ok. */
export const DEGRADED_LAG_MS = 200;

/**
 * Publishes `system_health` every HEALTH_INTERVAL_MS and answers its snapshot with the latest.
 * `down` is never sent by a live instance: a client that gets no update for a few intervals
 * should treat the instance as down.
 */
@Injectable()
export class SystemHealthService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(SystemHealthService.name);
  private readonly lag = new EventLoopLag();
  private readonly startedAt = Date.now();
  private latest?: SystemHealth;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly agents: AgentsService,
    private readonly bus: EventBus,
    private readonly registry: SnapshotRegistry,
  ) {}

  onModuleInit(): void {
    this.lag.start();
    this.registry.register('system_health', { snapshot: () => this.current() });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.systemHealth.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.lag.stop();
  }

  /** The latest published data, or a fresh measurement before the first tick. */
  async current(): Promise<SystemHealth> {
    return this.latest ?? (this.latest = await this.measure());
  }

  async measure(): Promise<SystemHealth> {
    const [failing, agentsOnline] = await Promise.all([
      this.health.failing(),
      this.agents.onlineCount().catch(() => 0),
    ]);
    const eventLoopLagMs = await this.lag.takeP99Ms();
    const status: HealthStatus = failing.length || eventLoopLagMs > DEGRADED_LAG_MS ? 'degraded' : 'ok';
    return {
      status,
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
      connections: this.health.connections(),
      eventLoopLagMs,
      rssBytes: process.memoryUsage.rss(),
      agentsOnline,
      failing,
      instanceId: this.config.instanceId,
    };
  }

  private async tick(): Promise<void> {
    try {
      this.latest = await this.measure();
      await this.bus.publish('system_health', 'system_health', this.latest);
    } catch (err) {
      this.log.warn(`system_health not published: ${String(err)}`);
    }
  }
}
