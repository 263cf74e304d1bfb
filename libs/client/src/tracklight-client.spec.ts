import { jest } from '@jest/globals';
import { WebSocket } from 'ws';
import { TracklightClient } from './tracklight-client.js';
import { ClientClosedError, RequestTimeoutError, ServerError } from './errors.js';
import { MiniServer } from '../../../test/fixtures/client/mini-server.js';
import { fakeToken, until, waitForStatus } from '../../../test/fixtures/client/wait.js';
import type { ClientOptions, ConnectionStatus } from './types.js';

const FAST = { initialMs: 20, maxMs: 100, longMs: 400 };

describe('TracklightClient against a small ws server (client behaviour)', () => {
  let server: MiniServer;
  const clients: TracklightClient[] = [];

  function client(options: Partial<ClientOptions> = {}): TracklightClient {
    const c = new TracklightClient({
      url: server.url,
      token: fakeToken({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 3600 }),
      WebSocket,
      backoff: FAST,
      pingIntervalMs: 0,
      ...options,
    });
    clients.push(c);
    return c;
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
  });

  it('sends the token as a query parameter and reports connecting then open', async () => {
    server = await MiniServer.start();
    const states: string[] = [];
    const c = client({ token: 'tok-1', autoConnect: false });
    c.on('status', (s) => states.push(s.state));
    c.connect();
    await waitForStatus(c, (s) => s.state === 'open');
    expect(server.last.token).toBe('tok-1');
    expect(states).toEqual(['connecting', 'open']);
    expect(c.connection?.connectionId).toBe('c1');
  });

  it('queues subscribe calls made while disconnected and delivers typed events', async () => {
    server = await MiniServer.start();
    const c = client({ autoConnect: false });
    const seen: string[] = [];
    const sub = c.subscribe('package_updates', (msg) => {
      if (msg.type === 'package_update') seen.push(msg.data.trackingNumber);
    });
    c.connect();
    await sub.ready;
    server.publish('package_updates', 'package_update', { trackingNumber: 'TN1' });
    server.publish('anomalies', 'anomaly_detected', { anomalyId: 'a' });
    server.publish('package_updates', 'package_update', { trackingNumber: 'TN2' });
    await until(() => seen.length === 2);
    expect(seen).toEqual(['TN1', 'TN2']);
    expect(c.lastEventId('package_updates')).toBe(server.log[2].id);
  });

  it('rejects a request with RequestTimeoutError when no reply carries its ref', async () => {
    server = await MiniServer.start({ onFrame: (_c, f) => f.type === 'ping' });
    const c = client();
    await waitForStatus(c, (s) => s.state === 'open');
    await expect(c.ping(100)).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('rejects a refused subscribe with the server error and forgets the topic', async () => {
    server = await MiniServer.start({
      onFrame: (conn, f) => {
        if (f.type !== 'subscribe') return false;
        server.send(conn, {
          type: 'error',
          ref: f.ref,
          data: { code: 'FORBIDDEN', message: 'no', topics: ['system_health'] },
        });
        return true;
      },
    });
    const c = client();
    const sub = c.subscribe('system_health', () => undefined);
    await expect(sub.ready).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(c.subscribedTopics()).toEqual([]);
  });

  it('releases the server subscription when unsubscribed before the subscribe reply', async () => {
    server = await MiniServer.start();
    const c = client();
    await waitForStatus(c, (s) => s.state === 'open');
    c.subscribe('anomalies', () => undefined).unsubscribe();
    const unsub = await server.waitForFrame((f) => f.type === 'unsubscribe');
    expect(unsub.data).toEqual({ topics: ['anomalies'] });
    await until(() => !server.last.topics.has('anomalies'));
  });

  it.each([
    [4401, 'UNAUTHORIZED'],
    [4403, 'FORBIDDEN'],
  ])('never reconnects after %i and surfaces the reason', async (code, errorCode) => {
    server = await MiniServer.start({
      onConnection: (conn) => {
        server.send(conn, { type: 'error', data: { code: errorCode, message: 'go away' } });
        conn.socket.close(code, 'bye');
        return false;
      },
    });
    const c = client();
    const errors: unknown[] = [];
    c.on('error', (e) => errors.push(e));
    const closed = await waitForStatus(c, (s) => s.state === 'closed');
    expect(closed).toMatchObject({ close: { code, advice: 'stop', error: { code: errorCode } } });
    expect(errors[0]).toBeInstanceOf(ServerError);
    // Several back-off periods (initialMs 20) pass without a second connection.
    await new Promise((r) => setTimeout(r, 300));
    expect(server.connections).toHaveLength(1);
    await expect(c.ping()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it.each([1001, 4409, 1006])('reconnects after %i', async (code) => {
    server = await MiniServer.start();
    const c = client();
    await waitForStatus(c, (s) => s.state === 'open');
    const reconnecting = waitForStatus(c, (s) => s.state === 'reconnecting');
    if (code === 1006) server.last.socket.terminate();
    else server.last.socket.close(code, 'again');
    expect(await reconnecting).toMatchObject({ attempt: 1, lastClose: { code } });
    await server.waitForConnections(2);
    await waitForStatus(c, (s) => s.state === 'open');
  });

  it('backs off for long after 4429', async () => {
    server = await MiniServer.start();
    const c = client({ random: () => 0 });
    await waitForStatus(c, (s) => s.state === 'open');
    const reconnecting = waitForStatus(c, (s) => s.state === 'reconnecting');
    server.last.socket.close(4429, 'too many');
    const status = (await reconnecting) as Extract<ConnectionStatus, { state: 'reconnecting' }>;
    expect(status.delayMs).toBe(FAST.longMs / 2);
    expect(status.lastClose.advice).toBe('backoff-long');
  });

  it('grows the delay exponentially with full jitter while the server stays down', async () => {
    server = await MiniServer.start({
      onConnection: (conn) => {
        conn.socket.terminate();
        return false;
      },
    });
    const delays: number[] = [];
    const c = client({ random: () => 1 });
    c.on('status', (s) => {
      if (s.state === 'reconnecting') delays.push(s.delayMs);
    });
    await until(() => delays.length >= 5, 5000, 'five reconnect attempts');
    c.close();
    expect(delays.slice(0, 5)).toEqual([20, 40, 80, 100, 100]);
  });

  it('asks getToken for a fresh token before reconnecting after 4408', async () => {
    server = await MiniServer.start();
    let n = 0;
    const getToken = jest.fn(() => fakeToken({ sub: 'u1', n: ++n, exp: Math.floor(Date.now() / 1000) + 3600 }));
    const c = client({ token: undefined, getToken });
    await waitForStatus(c, (s) => s.state === 'open');
    expect(getToken).toHaveBeenCalledTimes(1);
    const first = server.last.token;
    server.last.socket.close(4408, 'expired');
    await server.waitForConnections(2);
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(server.last.token).not.toBe(first);
    await waitForStatus(c, (s) => s.state === 'open');
  });

  it('stops after 4408 when it has no getToken to refresh with', async () => {
    server = await MiniServer.start();
    const c = client();
    await waitForStatus(c, (s) => s.state === 'open');
    server.last.socket.close(4408, 'expired');
    expect(await waitForStatus(c, (s) => s.state === 'closed')).toMatchObject({ close: { code: 4408 } });
  });

  it('resubscribes with since = last id, drops duplicates and reports recovered', async () => {
    server = await MiniServer.start({
      onFrame: (conn, f) => {
        // Misbehave like an overlapping replay: resend the last event before the replay.
        if (f.type === 'subscribe' && f.data?.since && server.log.length) {
          const last = server.log[server.log.length - 1];
          server.sendEvent(conn, last);
        }
        return false;
      },
    });
    const c = client();
    const seen: number[] = [];
    await c.subscribe('map_updates', (m) => m.type === 'map_update' && seen.push(m.data.latitude)).ready;
    server.publish('map_updates', 'map_update', { latitude: 1 });
    server.publish('map_updates', 'map_update', { latitude: 2 });
    await until(() => seen.length === 2);
    server.last.socket.terminate();
    await waitForStatus(c, (s) => s.state === 'reconnecting');
    server.publish('map_updates', 'map_update', { latitude: 3 });
    const open = await waitForStatus(c, (s) => s.state === 'open' && s.recovery !== undefined);
    await until(() => seen.length >= 3);
    server.publish('map_updates', 'map_update', { latitude: 4 });
    await until(() => seen.length >= 4);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(open).toMatchObject({ recovery: { recovered: true, gapTopics: [] } });
    const resub = server.last.received.find((f) => f.type === 'subscribe');
    expect(resub?.data).toMatchObject({ topics: ['map_updates'], since: server.log[1].id });
  });

  it('signals a gap and delivers the snapshot when recovery failed', async () => {
    const metrics = { totalPackages: 7 };
    server = await MiniServer.start({ snapshots: { dashboard_metrics: metrics } });
    const c = client();
    const got: string[] = [];
    const gaps: string[][] = [];
    c.on('gap', (g) => gaps.push(g.topics));
    await c.subscribe('dashboard_metrics', (m) => got.push(m.type)).ready;
    server.publish('dashboard_metrics', 'dashboard_metrics', metrics);
    await until(() => got.length === 2);
    server.retainedFrom = Number.MAX_SAFE_INTEGER;
    server.last.socket.close(1001, 'restart');
    const open = await waitForStatus(c, (s) => s.state === 'open' && s.recovery !== undefined);
    expect(open).toMatchObject({ recovery: { recovered: false, gapTopics: ['dashboard_metrics'] } });
    await until(() => got.length === 3);
    expect(got).toEqual(['snapshot', 'dashboard_metrics', 'snapshot']);
    expect(gaps).toEqual([['dashboard_metrics']]);
  });

  it('resumes a held topic that saw no event from the newest id seen on any topic', async () => {
    server = await MiniServer.start();
    const c = client();
    const anomalies: string[] = [];
    await c.subscribe('anomalies', (m) => anomalies.push(m.type)).ready;
    await c.subscribe('package_updates', () => undefined).ready;
    const id = server.publish('package_updates', 'package_update', {});
    await until(() => c.lastEventId('package_updates') === id);
    server.last.socket.terminate();
    await server.waitForConnections(2);
    await waitForStatus(c, (s) => s.state === 'open' && s.recovery !== undefined);
    const resub = server.last.received.filter((f) => f.type === 'subscribe').map((f) => f.data);
    // Both resume from the same id, so they share one subscribe.
    expect(resub).toEqual([{ topics: ['anomalies', 'package_updates'], since: id }]);
  });

  it('refreshes the token with auth before it expires', async () => {
    server = await MiniServer.start();
    const now = Math.floor(Date.now() / 1000);
    const first = fakeToken({ sub: 'u1', iat: now, exp: now + 2 });
    const fresh = fakeToken({ sub: 'u1', iat: now, exp: now + 3600 });
    const c = client({ token: first, getToken: () => fresh });
    await waitForStatus(c, (s) => s.state === 'open');
    const auth = await server.waitForFrame((f) => f.type === 'auth');
    expect(auth.data).toEqual({ token: fresh });
    expect(Date.now()).toBeLessThan((now + 2) * 1000);
    expect(server.connections).toHaveLength(1);
  });

  it('treats an unanswered ping as a dead connection and reconnects', async () => {
    let answer = false;
    server = await MiniServer.start({ onFrame: (_c, f) => f.type === 'ping' && !answer });
    const c = client({ pingIntervalMs: 50, pingTimeoutMs: 100 });
    await waitForStatus(c, (s) => s.state === 'open');
    const reconnecting = await waitForStatus(c, (s) => s.state === 'reconnecting');
    expect(reconnecting).toMatchObject({ lastClose: { reason: 'ping timeout' } });
    answer = true;
    await server.waitForConnections(2);
    await waitForStatus(c, (s) => s.state === 'open');
  });

  it('sends requests queued while reconnecting once connected again', async () => {
    server = await MiniServer.start();
    const c = client({ backoff: { initialMs: 200, maxMs: 200 }, random: () => 1 });
    await waitForStatus(c, (s) => s.state === 'open');
    server.last.socket.terminate();
    await waitForStatus(c, (s) => s.state === 'reconnecting');
    const pong = await c.ping();
    expect(pong.type).toBe('pong');
    expect(server.connections).toHaveLength(2);
  });
});
