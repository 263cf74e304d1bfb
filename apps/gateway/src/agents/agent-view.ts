import type { AgentState } from '@tracklight/protocol';
import type { AgentEntity } from './storage/agent.entity.js';

/**
 * One row of GET /agents and the answer to a heartbeat: the fields of the last `agent_activity`
 * (so clients merge REST and live data by agentId), plus when it was last heard and changed state.
 */
export interface AgentView {
  agentId: string;
  name: string;
  state: AgentState;
  action: string;
  /** Time of the last activity: the last heartbeat, or when it was published offline. */
  at: string;
  lastSeenAt: string;
  stateChangedAt: string;
}

export function toAgentView(row: AgentEntity): AgentView {
  return {
    agentId: row.id,
    name: row.name,
    state: row.state,
    action: row.action,
    at: new Date(Math.max(row.lastSeenAtMs, row.stateChangedAtMs)).toISOString(),
    lastSeenAt: new Date(row.lastSeenAtMs).toISOString(),
    stateChangedAt: new Date(row.stateChangedAtMs).toISOString(),
  };
}
