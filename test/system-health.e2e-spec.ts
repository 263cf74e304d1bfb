import { HealthService } from '../apps/gateway/src/health/health.service.js';
import { startApp, type TestApp } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { ops, viewer } from './support/tokens.js';
import { connected, type TestClient } from './support/ws.js';

const backends: [string, () => Promise<TestDatabase | undefined | null>][] = [
  ['SQLite', () => Promise.resolve(null)],
  ['PostgreSQL', () => createTestDatabase('system health')],
];

describe.each(backends)('system_health on %s', (_backend, makeDb) => {
  let t: TestApp | undefined;
  let db: TestDatabase | undefined | null;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    db = await makeDb();
    if (db === undefined) return;
    t = await startApp({ HEALTH_INTERVAL_MS: '100', ...(db ? { DATABASE_URL: db.url } : {}) });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t?.close();
    await db?.drop();
  });

  async function watcher() {
    const c = await connected(t!.ws, '/ws/agents', { token: ops() });
    clients.push(c);
    return c;
  }

  it('/ws/agents gets a system_health snapshot, then an update every interval', async () => {
    if (!t) return;
    const c = await watcher();
    const snapshot = await c.next((f) => f.type === 'snapshot' && f.topic === 'system_health');
    expect(snapshot.data).toMatchObject({
      status: 'ok',
      uptimeSeconds: expect.any(Number),
      connections: expect.any(Number),
      eventLoopLagMs: expect.any(Number),
      rssBytes: expect.any(Number),
      agentsOnline: expect.any(Number),
    });
    const first = await c.next('system_health');
    const second = await c.next('system_health');
    expect(first.topic).toBe('system_health');
    expect(Date.parse(second.timestamp) - Date.parse(first.timestamp)).toBeGreaterThanOrEqual(50);
    expect(second.data.connections).toBeGreaterThanOrEqual(1);
    expect(second.data.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(second.data.eventLoopLagMs).toBeGreaterThanOrEqual(0);
  });

  it('counts agents online and reports degraded while a dependency is failing', async () => {
    if (!t) return;
    const c = await watcher();
    const before = (await c.next('system_health')).data.agentsOnline;
    const res = await fetch(`${t.http}/agents/health-probe-${Date.now()}/heartbeat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'probe', state: 'online' }),
    });
    expect(res.status).toBe(200);
    const after = await c.next((f) => f.type === 'system_health' && f.data.agentsOnline === before + 1);
    expect(after.data.status).toBe('ok');

    let up = false;
    t.app.get(HealthService).register('test-dependency', () => up);
    const degraded = await c.next((f) => f.type === 'system_health' && f.data.status === 'degraded');
    expect(degraded.data.failing).toEqual(['test-dependency']);
    up = true;
    await c.next((f) => f.type === 'system_health' && f.data.status === 'ok');
  });

  it('is for ops and admin only', async () => {
    if (!t) return;
    const c = await connected(t.ws, '/ws/connect', { token: viewer() });
    clients.push(c);
    const denied = await c.request('subscribe', { topics: ['system_health'] });
    expect(denied.data).toMatchObject({ code: 'FORBIDDEN' });
  });
});
