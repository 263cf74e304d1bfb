import { startApp, type TestApp } from './support/app.js';
import { GatewayInstance } from './support/instances.js';
import { ops, token, viewer } from './support/tokens.js';
import { connected } from './support/ws.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('gateway: token lifetime and re-authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a token that expires during the connection: error TOKEN_EXPIRED, then close 4408', async () => {
    const c = await connected(t.ws, '/ws/connect', { token: token({ sub: 'eve', expiresIn: 2 }) });
    expect((await c.closed).code).toBe(4408);
    expect(c.frames.at(-1)).toMatchObject({ type: 'error', data: { code: 'TOKEN_EXPIRED' } });
  });

  it('auth with a fresh token of the same user before expiry keeps the connection open', async () => {
    const short = token({ sub: 'fred', expiresIn: 2 });
    const exp = JSON.parse(Buffer.from(short.split('.')[1], 'base64url').toString()).exp as number;
    const c = await connected(t.ws, '/ws/packages', { token: short });
    const reply = await c.request('auth', { token: token({ sub: 'fred', expiresIn: 3600 }) }, 'a1');
    expect(reply).toMatchObject({ type: 'authenticated', ref: 'a1' });
    expect(Date.parse(reply.data.expiresAt)).toBeGreaterThan(Date.now() + 3500_000);
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 300);
    expect((await c.request('ping')).type).toBe('pong');
    await c.close();
  });

  it.each([
    ['another user', () => token({ sub: 'mallory' })],
    ['an expired token', () => token({ sub: 'gus', expiresIn: -5 })],
    ['a bad signature', () => token({ sub: 'gus', secret: 'wrong-wrong-wrong-wrong-wrong-wrong-wrong' })],
    ['garbage', () => 'a.b.c'],
  ])('auth with %s: UNAUTHORIZED, current credentials kept', async (_name, make) => {
    const c = await connected(t.ws, '/ws/connect', { token: token({ sub: 'gus', roles: ['ops'] }) });
    const reply = await c.request('auth', { token: make() }, 'x');
    expect(reply).toMatchObject({ type: 'error', ref: 'x', data: { code: 'UNAUTHORIZED' } });
    expect((await c.request('subscribe', { topics: ['agent_activity'] })).type).toBe('subscribed');
    await c.close();
  });

  it('auth with fewer roles drops the topics no longer allowed, naming them', async () => {
    const c = await connected(t.ws, '/ws/agents', { token: ops('ida') });
    await c.request('subscribe', { topics: ['anomalies'] });
    expect((await c.request('auth', { token: viewer('ida') })).type).toBe('authenticated');
    const err = await c.next('error');
    expect(err.data).toMatchObject({ code: 'FORBIDDEN', topics: ['agent_activity', 'system_health'] });
    const res = await fetch(`${t.http}/ws/connections?userId=ida`, {
      headers: { authorization: `Bearer ${token({ sub: 'root', roles: ['admin'] })}` },
    });
    expect(((await res.json()) as { items: { topics: string[] }[] }).items[0].topics).toEqual(['anomalies']);
    await c.close();
  });
});

describe('gateway: graceful shutdown', () => {
  it('closes every client with 1001, then the app stops', async () => {
    const t = await startApp();
    const a = await connected(t.ws, '/ws/packages', { token: viewer('s1') });
    const b = await connected(t.ws, '/ws/dashboard', { token: viewer('s2') });
    await t.close();
    expect((await a.closed).code).toBe(1001);
    expect((await b.closed).code).toBe(1001);
    await expect(fetch(`${t.http}/health`)).rejects.toThrow();
  });

  it('SIGTERM to a real gateway process: every client gets 1001, then the process exits', async () => {
    const gw = await GatewayInstance.start(`sigterm-${process.pid}`, {});
    try {
      const a = await connected(gw.ws, '/ws/packages', { token: viewer('t1') });
      const b = await connected(gw.ws, '/ws/connect', { token: viewer('t2') });
      gw.child.kill('SIGTERM');
      expect((await a.closed).code).toBe(1001);
      expect((await b.closed).code).toBe(1001);
      expect(await gw.exited).toBe('SIGTERM');
    } finally {
      await gw.stop();
    }
  }, 90_000);
});
