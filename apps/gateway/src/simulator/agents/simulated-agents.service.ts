import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AgentsService } from '../../agents/agents.service.js';
import { AnomalyStore } from '../../anomalies/storage/anomaly-store.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { PackageQuery } from '../../packages/package-query.js';
import { dispatchReport, rerouteReport, type AgentReport } from './agent-behaviours.js';

export const SIMULATED_AGENTS = [
  { id: 'sim-reroute', name: 'Reroute agent' },
  { id: 'sim-dispatch', name: 'Dispatch agent' },
] as const;

/** Heartbeats come well inside the offline timeout, and at most every 5 s. */
export function heartbeatEveryMs(agentTimeoutMs: number): number {
  return Math.max(50, Math.min(5000, Math.floor(agentTimeoutMs / 3)));
}

/**
 * Two demo agents that report through AgentsService.heartbeat, the same call as
 * POST /agents/:agentId/heartbeat, so `/ws/agents` is alive after `npm start`.
 */
@Injectable()
export class SimulatedAgents implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(SimulatedAgents.name);
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private turn = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly agents: AgentsService,
    private readonly anomalies: AnomalyStore,
    private readonly packages: PackageQuery,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.beat(), heartbeatEveryMs(this.config.agents.timeoutMs));
    this.beat();
  }

  /** Says goodbye before the database closes, so the agents show offline at once, not after a timeout. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await Promise.all(
      SIMULATED_AGENTS.map(({ id, name }) =>
        this.agents.heartbeat(id, { name, state: 'offline', action: 'Simulator stopped' }).catch(() => undefined),
      ),
    );
  }

  private beat(): void {
    if (this.inFlight) return;
    this.inFlight = this.report()
      .catch((err: unknown) => this.log.warn(`simulated agents: ${String(err)}`))
      .finally(() => (this.inFlight = undefined));
  }

  private async report(): Promise<void> {
    const turn = this.turn++;
    const [open, active] = await Promise.all([this.anomalies.allOpen(), this.packages.findActive()]);
    const reports: AgentReport[] = [
      rerouteReport(
        open.map((a) => ({ trackingNumber: a.trackingNumber, type: a.type, severity: a.severity })),
        turn,
      ),
      dispatchReport(active),
    ];
    for (const [k, { id, name }] of SIMULATED_AGENTS.entries()) {
      await this.agents.heartbeat(id, { name, ...reports[k] });
    }
  }
}
