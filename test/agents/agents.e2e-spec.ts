import { AgentsService } from '../../apps/gateway/src/agents/agents.service.js';
import { describeOnBackends } from '../support/backends.js';
import { rest } from '../support/http.js';
import { admin, ops, viewer } from '../support/tokens.js';
import { connected, type Frame } from '../support/ws.js';

const TIMEOUT_MS = 400;

let serial = 0;
const agentId = () => `agent-${Date.now().toString(36)}-${serial++}`;

await describeOnBackends('agents on %s', { env: { AGENT_TIMEOUT_MS: String(TIMEOUT_MS) } }, (ctx) => {
  const call = rest(() => ctx.app());

  const beat = (id: string, body: object, bearer = ops()) => call('POST', `/agents/${id}/heartbeat`, bearer, body);

  async function watcher() {
    return ctx.track(await connected(ctx.app().ws, '/ws/agents', { token: ops() }));
  }

  const activityOf = (id: string) => (f: Frame) => f.type === 'agent_activity' && f.data.agentId === id;

  it('requires ops or admin, and a valid body and agent id', async () => {
    const id = agentId();
    expect((await beat(id, { name: 'x', state: 'online' }, viewer())).status).toBe(403);
    expect((await call('POST', `/agents/${id}/heartbeat`, undefined, { name: 'x', state: 'online' })).status).toBe(401);
    expect((await call('GET', '/agents', viewer())).status).toBe(403);
    const bad = await beat(id, { state: 'sleeping', action: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['action', 'name', 'state']);
    const badId = await beat('-nope-', { name: 'x', state: 'online' });
    expect(badId.status).toBe(400);
    expect(badId.body.fields[0].field).toBe('agentId');
  });

  it('publishes each heartbeat on agent_activity and lists agents with their last state', async () => {
    const c = await watcher();
    const id = agentId();
    const res = await beat(id, { name: 'Router', state: 'busy', action: 'rerouting TN1' }, admin());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agentId: id, name: 'Router', state: 'busy', action: 'rerouting TN1' });
    const frame = await c.next(activityOf(id));
    expect(frame.topic).toBe('agent_activity');
    expect(frame.data).toEqual({
      agentId: id,
      name: 'Router',
      state: 'busy',
      action: 'rerouting TN1',
      at: expect.any(String),
    });
    expect(Date.parse(frame.data.at)).toBeGreaterThan(Date.now() - 10_000);

    await beat(id, { name: 'Router', state: 'idle' });
    expect((await c.next(activityOf(id))).data).toMatchObject({ state: 'idle', action: 'heartbeat' });
    const list = await call('GET', '/agents', ops());
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ agentId: id, name: 'Router', state: 'idle' }));
    // The simulated agents exist only with SIMULATOR=on.
    expect(list.body.items.some((a: { agentId: string }) => a.agentId.startsWith('sim-'))).toBe(false);
  });

  it('publishes a silent agent offline exactly once, and online again on its next heartbeat', async () => {
    const c = await watcher();
    const id = agentId();
    await beat(id, { name: 'Dispatcher', state: 'online', action: 'dispatching' });
    await c.next(activityOf(id));
    const offline = await c.next(activityOf(id), TIMEOUT_MS * 10);
    expect(offline.data).toMatchObject({ agentId: id, name: 'Dispatcher', state: 'offline' });
    expect(offline.data.action).toMatch(/no heartbeat/);
    // Several more sweep periods pass: still exactly one offline event.
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 3));
    expect(c.all((f) => activityOf(id)(f) && f.data.state === 'offline')).toHaveLength(1);
    const listed = await call('GET', '/agents', ops());
    expect(listed.body.items).toContainEqual(expect.objectContaining({ agentId: id, state: 'offline' }));

    await beat(id, { name: 'Dispatcher', state: 'online', action: 'back' });
    expect((await c.next(activityOf(id))).data).toMatchObject({ state: 'online', action: 'back' });
    const again = await call('GET', '/agents', ops());
    expect(again.body.items).toContainEqual(expect.objectContaining({ agentId: id, state: 'online' }));
    // And it times out again, once.
    const second = await c.next(activityOf(id), TIMEOUT_MS * 10);
    expect(second.data.state).toBe('offline');
    expect(c.all((f) => activityOf(id)(f) && f.data.state === 'offline')).toHaveLength(2);
  });

  it('concurrent liveness checks (as from several instances) still publish offline once', async () => {
    const t = ctx.app();
    const c = await watcher();
    const id = agentId();
    await beat(id, { name: 'Raced', state: 'busy' });
    await c.next(activityOf(id));
    const service = t.app.get(AgentsService);
    const later = Date.now() + TIMEOUT_MS * 2;
    const marked = await Promise.all([1, 2, 3, 4].map(() => service.sweep(TIMEOUT_MS, later)));
    expect(marked.filter((ids) => ids.includes(id))).toHaveLength(1);
    await c.next((f) => activityOf(id)(f) && f.data.state === 'offline');
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 2));
    expect(c.all((f) => activityOf(id)(f) && f.data.state === 'offline')).toHaveLength(1);
  });

  it('an agent that reports offline itself is not reported again by the timeout', async () => {
    const c = await watcher();
    const id = agentId();
    await beat(id, { name: 'Leaving', state: 'offline', action: 'shutting down' });
    expect((await c.next(activityOf(id))).data.state).toBe('offline');
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 3));
    expect(c.all(activityOf(id))).toHaveLength(1);
  });

  it('viewers may not watch agent activity', async () => {
    const t = ctx.app();
    const c = ctx.track(await connected(t.ws, '/ws/connect', { token: viewer() }));
    const denied = await c.request('subscribe', { topics: ['agent_activity'] });
    expect(denied.data).toMatchObject({ code: 'FORBIDDEN', topics: ['agent_activity'] });
  });
});
