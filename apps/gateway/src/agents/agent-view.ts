import type { AgentState } from '@tracklight/protocol';
import type { AgentEntity } from './storage/agent.entity.js';

/** One row of GET /agents and the answer to a heartbeat. */
export interface AgentView {
  agentId: string;
  name: string;
  state: AgentState;
  action: string;
  lastSeenAt: string;
  stateChangedAt: string;
}

export function toAgentView(row: AgentEntity): AgentView {
  return {
    agentId: row.id,
    name: row.name,
    state: row.state,
    action: row.action,
    lastSeenAt: new Date(row.lastSeenAtMs).toISOString(),
    stateChangedAt: new Date(row.stateChangedAtMs).toISOString(),
  };
}
