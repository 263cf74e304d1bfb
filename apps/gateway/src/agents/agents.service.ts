import { Injectable, Logger } from '@nestjs/common';
import type { AgentActivity, AgentState } from '@tracklight/protocol';
import { EventBus } from '../bus/event-bus.js';
import { UnpublishedWriteError } from '../bus/unpublished-write.error.js';
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
 * Each heartbeat is stored and published on `agent_activity`. A heartbeat whose event the bus
 * refuses rejects with UnpublishedWriteError (503, stored): its caller must not take it as
 * announced. The liveness sweep only logs a refusal: it has no caller to answer, and the stored
 * offline state is what GET /agents shows; the next heartbeat announces the agent again.
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
    const refused = await this.publish(row, now);
    if (refused) throw new UnpublishedWriteError(`heartbeat of agent ${agentId}`);
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

  /** True when the bus refused the event (logged here). */
  private async publish(row: Pick<AgentEntity, 'id' | 'name' | 'state' | 'action'>, at: number): Promise<boolean> {
    const data: AgentActivity = {
      agentId: row.id,
      name: row.name,
      state: row.state,
      action: row.action,
      at: new Date(at).toISOString(),
    };
    try {
      await this.bus.publish('agent_activity', 'agent_activity', data);
      return false;
    } catch (err) {
      this.log.error(`agent ${row.id}: agent_activity not published: ${String(err)}`);
      return true;
    }
  }
}
