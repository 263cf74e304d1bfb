import { WebSocket } from 'ws';
import { TracklightClient } from './tracklight-client.js';
import { MiniServer } from '../../../test/fixtures/client/mini-server.js';
import { fakeToken, until, waitForStatus } from '../../../test/fixtures/client/wait.js';
import type { ClientEvents } from './types.js';

/** Per-topic recovery reports (what a "REST list plus live events" view rebuilds on) and reconnectNow(). */
describe('TracklightClient per-topic recovery', () => {
  let server: MiniServer;
  const clients: TracklightClient[] = [];

  function client(backoff = { initialMs: 20, maxMs: 100, longMs: 400 }, random = Math.random): TracklightClient {
    const c = new TracklightClient({
      url: server.url,
      token: fakeToken({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 3600 }),
      WebSocket,
      backoff,
      pingIntervalMs: 0,
      random,
    });
    clients.push(c);
    return c;
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
  });

  it('reports a first subscription as not recovered, a vouched resume as recovered, a lost one as not', async () => {
    server = await MiniServer.start();
    const c = client();
    const reports: ClientEvents['subscribed'][] = [];
    c.on('subscribed', (r) => reports.push(r));
    await c.subscribe('anomalies', () => undefined).ready;
    expect(c.isTopicActive('anomalies')).toBe(true);
    server.publish('anomalies', 'anomaly_detected', { anomalyId: 'a1' });
    await until(() => c.lastEventId('anomalies') !== undefined);

    server.last.socket.terminate();
    await waitForStatus(c, (s) => s.state === 'reconnecting');
    expect(c.isTopicActive('anomalies')).toBe(false);
    await until(() => reports.length === 2);

    server.retainedFrom = Number.MAX_SAFE_INTEGER;
    server.last.socket.terminate();
    await until(() => reports.length === 3);
    expect(reports).toEqual([
      { topics: ['anomalies'], recovered: false },
      { topics: ['anomalies'], recovered: true },
      { topics: ['anomalies'], recovered: false },
    ]);
  });

  it('reconnectNow() skips the remaining back-off', async () => {
    server = await MiniServer.start();
    // random() = 1 makes the jittered first retry wait the full minute.
    const c = client({ initialMs: 60_000, maxMs: 60_000, longMs: 60_000 }, () => 1);
    await waitForStatus(c, (s) => s.state === 'open');
    server.last.socket.terminate();
    const waiting = await waitForStatus(c, (s) => s.state === 'reconnecting');
    expect(waiting).toMatchObject({ delayMs: 60_000 });
    const started = Date.now();
    c.reconnectNow();
    await waitForStatus(c, (s) => s.state === 'open');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.connections).toHaveLength(2);
  });

  it('reconnectNow() does nothing while connected', async () => {
    server = await MiniServer.start();
    const c = client();
    await waitForStatus(c, (s) => s.state === 'open');
    c.reconnectNow();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connections).toHaveLength(1);
  });
});
