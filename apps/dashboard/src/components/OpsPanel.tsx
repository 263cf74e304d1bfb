import { useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { AgentActivity } from '@tracklight/protocol';
import { useTopic } from '@tracklight/react';
import { emptyKeyed, merged, upsert, type Keyed } from '../lib/keyed.js';
import { useRestList } from '../lib/use-rest.js';

const reducer = (state: Keyed<AgentActivity>, m: TopicMessage<'agent_activity'>) =>
  upsert(state, m.data.agentId, m.data, 1000);

const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;

function SystemHealthTile() {
  const h = useTopic('system_health');
  if (!h) return <p className="muted">Waiting for system health…</p>;
  return (
    <dl className="health">
      <div>
        <dt>Status</dt>
        <dd>
          <span className={`badge health-${h.status}`}>{h.status}</span>
        </dd>
      </div>
      <div>
        <dt>Uptime</dt>
        <dd>{Math.floor(h.uptimeSeconds / 60)} min</dd>
      </div>
      <div>
        <dt>Connections</dt>
        <dd>{h.connections}</dd>
      </div>
      <div>
        <dt>Event-loop lag</dt>
        <dd>{h.eventLoopLagMs.toFixed(1)} ms</dd>
      </div>
      <div>
        <dt>Memory</dt>
        <dd>{mib(h.rssBytes)}</dd>
      </div>
      <div>
        <dt>Agents online</dt>
        <dd>{h.agentsOnline}</dd>
      </div>
    </dl>
  );
}

/** Agents and system health: topics only ops and admin may read. */
export function OpsPanel({ token }: { token: string }) {
  const [initial] = useState(() => emptyKeyed<AgentActivity>());
  const live = useTopic('agent_activity', reducer, initial);
  const seed = useRestList<AgentActivity>('/agents', token);
  const agents = merged(seed.items, (a) => a.agentId, live).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="panel ops" aria-labelledby="ops-title">
      <h2 id="ops-title">Operations</h2>
      <SystemHealthTile />
      <h3>
        Agents <span className="count">{agents.filter((a) => a.state !== 'offline').length} online</span>
      </h3>
      <ul className="agents">
        {agents.map((a) => (
          <li key={a.agentId}>
            <span className={`badge agent-${a.state}`}>{a.state}</span> <strong>{a.name}</strong>{' '}
            <span className="muted">{a.action}</span>
          </li>
        ))}
        {agents.length === 0 && <li className="empty">No agents have reported.</li>}
      </ul>
    </section>
  );
}
