import { Injectable, Logger } from '@nestjs/common';
import type { AgentActivity, AgentState } from '@tracklight/protocol';
import { EventBus } from '../bus/event-bus.js';
import { toAgentView, type AgentView } from './agent-view.js';
import { AgentEntity } from './storage/agent.entity.js';
import { AgentStore } from './storage/agent.store.js';

export interface HeartbeatInput {
  name: string;
  state: AgentState;
  action?: string;
}

/**
 * Agents report through heartbeats (REST, or in-process for the simulated ones: the same call).
 * Each heartbeat is stored and published on `agent_activity`.
 */
@Injectable()
export class AgentsService {
  private readonly log = new Logger(AgentsService.name);

  constructor(
    private readonly store: AgentStore,
    private readonly bus: EventBus,
  ) {}

  async heartbeat(agentId: string, input: HeartbeatInput, now = Date.now()): Promise<AgentView> {
    const previous = await this.store.find(agentId);
    const row = Object.assign(new AgentEntity(), {
      id: agentId,
      name: input.name,
      state: input.state,
      action: input.action ?? 'heartbeat',
      lastSeenAtMs: now,
      stateChangedAtMs: previous && previous.state === input.state ? previous.stateChangedAtMs : now,
    } satisfies AgentEntity);
    await this.store.save(row);
    await this.publish(row, now);
    return toAgentView(row);
  }

  async list(): Promise<AgentView[]> {
    return (await this.store.all()).map(toAgentView);
  }

  /** Agents whose last known state is not offline. */
  onlineCount(): Promise<number> {
    return this.store.countOnline();
  }

  /** Publishes `offline` for agents silent past `timeoutMs`, once each (see AgentStore.markOffline). */
  async sweep(timeoutMs: number, now = Date.now()): Promise<string[]> {
    const silent = await this.store.silentSince(now - timeoutMs);
    const marked: string[] = [];
    for (const row of silent) {
      const action = `no heartbeat for ${Math.round((now - row.lastSeenAtMs) / 1000)} s`;
      if (!(await this.store.markOffline(row, action, now))) continue;
      marked.push(row.id);
      await this.publish({ ...row, state: 'offline', action }, now);
    }
    return marked;
  }

  private async publish(row: Pick<AgentEntity, 'id' | 'name' | 'state' | 'action'>, at: number): Promise<void> {
    const data: AgentActivity = {
      agentId: row.id,
      name: row.name,
      state: row.state,
      action: row.action,
      at: new Date(at).toISOString(),
    };
    try {
      await this.bus.publish('agent_activity', 'agent_activity', data);
    } catch (err) {
      this.log.error(`agent ${row.id}: agent_activity not published: ${String(err)}`);
    }
  }
}
