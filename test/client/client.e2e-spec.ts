import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { TracklightClient, type ClientOptions, type ConnectionStatus } from '@tracklight/client';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { startApp, type TestApp } from '../support/app.js';
import { token } from '../support/tokens.js';
import { until, waitForStatus } from '../fixtures/client/wait.js';

/** The typed client against the real gateway: reconnect, resume, close codes and token refresh. */
describe('@tracklight/client against the real gateway', () => {
  let t: TestApp;
  let sockets: Set<Socket>;
  const clients: TracklightClient[] = [];

  beforeAll(async () => {
    t = await startApp();
    sockets = new Set();
    const server = t.app.getHttpServer() as import('node:http').Server;
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.close();
    await t.close();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  function client(options: Partial<ClientOptions> = {}): TracklightClient {
    const c = new TracklightClient({
      url: `${t.ws}/ws/connect`,
      token: token({ sub: 'carla' }),
      WebSocket,
      backoff: { initialMs: 50, maxMs: 200, longMs: 1000 },
      ...options,
    });
    clients.push(c);
    return c;
  }

  /** Drops every TCP connection without a close frame: what a network loss looks like. */
  function dropAllSockets(): void {
    for (const socket of sockets) socket.destroy();
  }

  function publish(n: number, from: number): Promise<unknown> {
    const bus = t.app.get(EventBus);
    return Promise.all(
      Array.from({ length: n }, (_, i) =>
        bus.publish('map_updates', 'map_update', {
          packageId: `p${from + i}`,
          trackingNumber: `TN${from + i}`,
          latitude: from + i,
          longitude: 0,
          status: 'in_transit',
        }),
      ),
    );
  }

  it('reconnects after the server drops the socket', async () => {
    const c = client();
    const first = await waitForStatus(c, (s) => s.state === 'open');
    dropAllSockets();
    await waitForStatus(c, (s) => s.state === 'reconnecting');
    const second = await waitForStatus(c, (s) => s.state === 'open');
    expect(second).not.toEqual(first);
    const pong = await c.ping();
    expect(typeof pong.data.serverTime).toBe('string');
  });

  it('resumes with since after a drop: every event exactly once, in order, no gap', async () => {
    const c = client({ backoff: { initialMs: 300, maxMs: 300 }, random: () => 1 });
    const seen: number[] = [];
    const ids: string[] = [];
    await c.subscribe('map_updates', (m) => {
      // The snapshot (contract revision 2) is the state before the resume, not one of the events.
      if (m.type !== 'map_update') return;
      seen.push(m.data.latitude);
      ids.push(m.id);
    }).ready;
    await publish(5, 0);
    await until(() => seen.length === 5, 5000, 'the first five events');
    dropAllSockets();
    await waitForStatus(c, (s) => s.state === 'reconnecting');
    await publish(5, 5);
    const open = await waitForStatus(c, (s) => s.state === 'open' && s.recovery !== undefined);
    await publish(5, 10);
    await until(() => seen.length >= 15, 5000, 'all fifteen events');
    expect(open).toMatchObject({ recovery: { recovered: true, gapTopics: [] } });
    expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(new Set(ids).size).toBe(15);
  });

  it('stops retrying after 4401 and surfaces UNAUTHORIZED', async () => {
    let upgrades = 0;
    const server = t.app.getHttpServer() as import('node:http').Server;
    const count = () => upgrades++;
    server.on('upgrade', count);
    try {
      const c = client({ token: 'not-a-jwt' });
      const closed = await waitForStatus(c, (s) => s.state === 'closed');
      expect(closed).toMatchObject({ close: { code: 4401, advice: 'stop', error: { code: 'UNAUTHORIZED' } } });
      // Several back-off periods (initialMs 50) pass with no second attempt.
      await new Promise((r) => setTimeout(r, 400));
      expect(upgrades).toBe(1);
      expect(c.status.state).toBe('closed');
    } finally {
      server.off('upgrade', count);
    }
  });

  it('after 4408 asks getToken for a fresh token, reconnects and resumes', async () => {
    const now = Math.floor(Date.now() / 1000);
    const short = token({ sub: 'carla', expiresIn: 2, claims: { iat: now } });
    let calls = 0;
    const c = client({
      token: short,
      // The proactive refresh fails, so the server's 4408 at expiry is what triggers the new token.
      getToken: () => {
        calls += 1;
        if (calls === 1) throw new Error('identity provider unavailable');
        return token({ sub: 'carla' });
      },
    });
    c.on('error', () => undefined);
    const closes: ConnectionStatus[] = [];
    c.on('status', (s) => {
      if (s.state === 'reconnecting') closes.push(s);
    });
    await c.subscribe('map_updates', () => undefined).ready;
    await waitForStatus(c, (s) => s.state === 'reconnecting', 6000);
    expect(closes[0]).toMatchObject({ lastClose: { code: 4408, advice: 'refresh-token' } });
    await waitForStatus(c, (s) => s.state === 'open');
    expect(calls).toBe(2);
    expect(c.subscribedTopics()).toEqual(['map_updates']);
  });

  it('refreshes the token with auth before it expires and keeps the connection', async () => {
    const now = Math.floor(Date.now() / 1000);
    const short = token({ sub: 'carla', expiresIn: 3, claims: { iat: now } });
    const c = client({ token: short, getToken: () => token({ sub: 'carla' }) });
    const authenticated: string[] = [];
    c.on('message', (f) => {
      if (f.type === 'authenticated') authenticated.push(f.data.expiresAt);
    });
    const open = await waitForStatus(c, (s) => s.state === 'open');
    const states: string[] = [];
    c.on('status', (s) => states.push(s.state));
    await until(() => authenticated.length === 1, 5000, 'the auth reply');
    // Outlive the first token: the server must not close with 4408.
    await until(() => Date.now() > (now + 4) * 1000, 6000, 'the old expiry');
    await c.ping();
    expect(states).toEqual([]);
    expect(c.status).toEqual(open);
    expect(Date.parse(authenticated[0])).toBeGreaterThan(Date.now() + 60_000);
  });
});
