import { startApp, type TestApp } from '../support/app.js';
import { callApp } from '../support/http.js';
import { ops } from '../support/tokens.js';
import { connected, type TestClient } from '../support/ws.js';

describe('simulated agents (SIMULATOR=on)', () => {
  let t: TestApp;
  let c: TestClient | undefined;
  beforeAll(async () => {
    t = await startApp({ SIMULATOR: 'on', SIMULATOR_SEED: '7', AGENT_TIMEOUT_MS: '600' });
  });
  afterAll(async () => {
    await c?.close();
    await t.close();
  });

  it('two agents report through the same service as the REST API, and /ws/agents shows them', async () => {
    c = await connected(t.ws, '/ws/agents', { token: ops() });
    for (const agentId of ['sim-reroute', 'sim-dispatch']) {
      const frame = await c.next((f) => f.type === 'agent_activity' && f.data.agentId === agentId);
      expect(['online', 'busy', 'idle']).toContain(frame.data.state);
      expect(frame.data.action.length).toBeGreaterThan(0);
    }
    // They keep beating: never reported offline by the liveness check while the simulator runs.
    await new Promise((r) => setTimeout(r, 1500));
    const sim = c.all((f) => f.type === 'agent_activity' && String(f.data.agentId).startsWith('sim-'));
    expect(sim.filter((f) => f.data.state === 'offline')).toEqual([]);
    expect(sim.filter((f) => f.data.agentId === 'sim-reroute').length).toBeGreaterThan(2);
    const res = await callApp(t, 'GET', '/agents', ops());
    const { items } = res.body as { items: { agentId: string; name: string }[] };
    expect(items.map((a) => a.agentId)).toEqual(expect.arrayContaining(['sim-reroute', 'sim-dispatch']));
    const health = await c.next((f) => f.topic === 'system_health');
    expect(health.data.agentsOnline).toBeGreaterThanOrEqual(2);
  });
});
