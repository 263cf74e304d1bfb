import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { startApp, type TestApp } from '../support/app.js';
import { GatewayInstance } from '../support/instances.js';
import { ops, token, viewer } from '../support/tokens.js';
import { connect, connected } from '../support/ws.js';

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

describe('gateway: RS256/ES256 tokens with JWT_PUBLIC_KEY', () => {
  const rsa = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = (sub: string) => ({ sub, roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 600 });
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ JWT_PUBLIC_KEY: rsa.publicKey });
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts an RS256 token signed by the matching private key', async () => {
    const head = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims('rita'))}`;
    const sig = createSign('SHA256').update(head).sign(rsa.privateKey).toString('base64url');
    const c = await connected(t.ws, '/ws/agents', { token: `${head}.${sig}` });
    expect(c.frames[0].data).toMatchObject({ userId: 'rita', roles: ['admin'] });
    await c.close();
  });

  it('refuses HS256 signed with the public key (algorithm confusion) and HS256 with the old secret', async () => {
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims('mallory'))}`;
    const confused = `${head}.${createHmac('sha256', rsa.publicKey).update(head).digest('base64url')}`;
    for (const tok of [confused, token({ sub: 'mallory' })]) {
      const c = connect(t.ws, '/ws/connect', { token: tok });
      expect((await c.closed).code).toBe(4401);
      expect(c.frames[0].data.code).toBe('UNAUTHORIZED');
    }
  });
});
