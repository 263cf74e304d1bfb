import type { TopicMessage } from '@tracklight/client';
import type { AgentActivity, SystemHealth } from '@tracklight/protocol';
import { useLiveList, useLiveResource } from '@tracklight/react';
import { ago, localTime } from '../lib/format.js';
import { useListLoader } from '../lib/rest-loader.js';
import { useNow } from '../lib/use-now.js';
import { StaleMark } from './StaleMark.js';

const keyOf = (a: AgentActivity) => a.agentId;
const fromEvent = (m: TopicMessage<'agent_activity'>) => (m.type === 'agent_activity' ? m.data : undefined);
const latest = (_: SystemHealth | undefined, m: TopicMessage<'system_health'>) => m.data;

const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;

function SystemHealthTile() {
  // No REST read: the snapshot after every unrecovered subscribe is the rebuild.
  const live = useLiveResource({ topic: 'system_health', apply: latest, initial: undefined });
  const h = live.state;
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
  const load = useListLoader<AgentActivity>('/agents', token);
  const live = useLiveList({ topic: 'agent_activity', load, keyOf, fromEvent, limit: 1000 });
  const now = useNow();
  const agents = [...live.state.map.values()].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="panel ops" aria-labelledby="ops-title" data-stale={live.stale}>
      <h2 id="ops-title">
        Operations <StaleMark live={live} />
      </h2>
      <SystemHealthTile />
      <h3>
        Agents <span className="count">{agents.filter((a) => a.state !== 'offline').length} online</span>
      </h3>
      <ul className="agents">
        {agents.map((a) => (
          <li key={a.agentId}>
            <span className={`badge agent-${a.state}`}>{a.state}</span> <strong>{a.name}</strong>{' '}
            <span className="muted">
              {a.action}{' '}
              <time dateTime={a.at} title={localTime(a.at)}>
                ({ago(a.at, now)})
              </time>
            </span>
          </li>
        ))}
        {agents.length === 0 && <li className="empty">No agents have reported.</li>}
      </ul>
    </section>
  );
}
