import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api.js';
import { ago, localTime } from '../lib/format.js';

interface WsStatus {
  instanceId: string;
  uptimeSeconds: number;
  connections: { total: number; byEndpoint: Record<string, number> };
  topics: Record<string, number>;
  messages: { in: number; out: number; dropped: number };
  cluster?: {
    instances: {
      instanceId: string;
      startedAt: string;
      updatedAt: string;
      connections: { total: number };
      self: boolean;
    }[];
  };
}

interface ConnectionItem {
  connectionId: string;
  userId: string;
  endpoint: string;
  topics: string[];
  connectedAt: string;
  lastActivityAt: string;
  messagesIn: number;
  messagesOut: number;
  bufferedBytes: number;
  remoteAddress: string;
  instanceId?: string;
}

const REFRESH_MS = 3000;

/** The gateway as an administrator sees it: refreshed every few seconds from /ws/status and /ws/connections. */
export function AdminView({ token }: { token: string }) {
  const [status, setStatus] = useState<WsStatus | null>(null);
  const [connections, setConnections] = useState<{ total: number; items: ConnectionItem[] } | null>(null);
  const [filter, setFilter] = useState({ userId: '', endpoint: '', topic: '' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const query = new URLSearchParams({ limit: '100' });
  for (const [k, v] of Object.entries(filter)) if (v.trim()) query.set(k, v.trim());
  const path = `/ws/connections?${query.toString()}`;

  const refresh = useCallback(async () => {
    try {
      const [s, c] = await Promise.all([
        api<WsStatus>('/ws/status', token),
        api<{ total: number; items: ConnectionItem[] }>(path, token),
      ]);
      setStatus(s);
      setConnections(c);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [path, token]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  async function disconnect(c: ConnectionItem) {
    if (!confirm(`Disconnect ${c.userId} (${c.endpoint})? Their page will say an administrator closed it.`)) return;
    try {
      await api(`/ws/connections/${encodeURIComponent(c.connectionId)}`, token, { method: 'DELETE' });
      setNotice(`Disconnected ${c.userId} (${c.connectionId}).`);
      await refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  const topics = Object.entries(status?.topics ?? {}).sort((a, b) => b[1] - a[1]);
  return (
    <div className="admin">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="grid">
        <section className="panel" aria-labelledby="gateway-title">
          <h2 id="gateway-title">Gateway</h2>
          {status ? (
            <dl className="facts">
              <div>
                <dt>Instance answering</dt>
                <dd className="mono">{status.instanceId}</dd>
              </div>
              <div>
                <dt>Up for</dt>
                <dd>{Math.floor(status.uptimeSeconds / 60)} min</dd>
              </div>
              <div>
                <dt>Connections</dt>
                <dd>
                  {status.connections.total}{' '}
                  <span className="muted">
                    (
                    {Object.entries(status.connections.byEndpoint)
                      .map(([e, n]) => `${e}: ${n}`)
                      .join(', ') || 'none'}
                    )
                  </span>
                </dd>
              </div>
              <div>
                <dt>Messages in / out</dt>
                <dd>
                  {status.messages.in} / {status.messages.out}
                </dd>
              </div>
              <div>
                <dt title="Messages not delivered to slow clients">Dropped</dt>
                <dd>{status.messages.dropped}</dd>
              </div>
            </dl>
          ) : (
            <p className="muted">Loading…</p>
          )}
          <h3>Cluster instances</h3>
          <table className="compact-table">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Connections</th>
                <th scope="col">Started</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {(status?.cluster?.instances ?? []).map((i) => (
                <tr key={i.instanceId}>
                  <td className="mono">
                    {i.instanceId}
                    {i.self ? ' (this one)' : ''}
                  </td>
                  <td>{i.connections.total}</td>
                  <td>{localTime(i.startedAt)}</td>
                  <td>{ago(i.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="topics-title">
          <h2 id="topics-title">
            Topics <span className="count">{topics.length}</span>
          </h2>
          <table className="compact-table">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Subscribers</th>
              </tr>
            </thead>
            <tbody>
              {topics.map(([t, n]) => (
                <tr key={t}>
                  <td className="mono">{t}</td>
                  <td>{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section className="panel connections" aria-labelledby="connections-title">
        <h2 id="connections-title">
          Connections <span className="count">{connections?.total ?? '…'}</span>
        </h2>
        <div className="filters">
          {(['userId', 'endpoint', 'topic'] as const).map((key) => (
            <label key={key}>
              {key === 'userId' ? 'User' : key === 'endpoint' ? 'Endpoint' : 'Topic'}
              <input value={filter[key]} onChange={(e) => setFilter((f) => ({ ...f, [key]: e.target.value }))} />
            </label>
          ))}
        </div>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Connections table">
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Topics</th>
                <th scope="col">Connected</th>
                <th scope="col">In / out</th>
                <th scope="col">Address</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(connections?.items ?? []).map((c) => (
                <tr key={c.connectionId} data-connection={c.connectionId} data-user={c.userId}>
                  <td>{c.userId}</td>
                  <td className="mono">{c.endpoint}</td>
                  <td className="small">{c.topics.join(', ')}</td>
                  <td title={localTime(c.connectedAt)}>{ago(c.connectedAt)}</td>
                  <td>
                    {c.messagesIn} / {c.messagesOut}
                  </td>
                  <td className="mono small">{c.remoteAddress}</td>
                  <td>
                    <button type="button" className="danger" onClick={() => void disconnect(c)}>
                      Disconnect
                    </button>
                  </td>
                </tr>
              ))}
              {connections?.items.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty">
                    No connection matches.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
