import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AgentsService } from './agents.service.js';

/**
 * Checks for silent agents several times per timeout, so an agent is reported offline at most a
 * quarter of its timeout late (and at least once a second with long timeouts).
 */
@Injectable()
export class AgentLiveness implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(AgentLiveness.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly agents: AgentsService,
  ) {}

  onApplicationBootstrap(): void {
    const timeout = this.config.agents.timeoutMs;
    const every = Math.max(10, Math.min(1000, Math.floor(timeout / 4)));
    this.timer = setInterval(() => void this.check(timeout), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async check(timeout: number): Promise<void> {
    // A slow database must not stack sweeps on top of each other.
    if (this.running) return;
    this.running = true;
    try {
      await this.agents.sweep(timeout);
    } catch (err) {
      this.log.warn(`agent liveness check failed: ${String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
