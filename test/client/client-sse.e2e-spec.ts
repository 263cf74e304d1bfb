import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket } from 'ws';
import { TracklightClient, type ClientOptions } from '@tracklight/client';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { until, waitForStatus } from '../fixtures/client/wait.js';
import { startApp, type TestApp } from '../support/app.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { ops, token } from '../support/tokens.js';

const tn = trackingNumbers('CSSE');

/** A reverse proxy that forwards plain HTTP (streaming) but refuses every WebSocket upgrade. */
async function upgradeRefusingProxy(
  target: number,
): Promise<{ port: number; close(): Promise<void>; upgrades: () => number }> {
  let upgrades = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const out = request(
      { host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (_req, socket: Socket) => {
    upgrades += 1;
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    upgrades: () => upgrades,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('@tracklight/client over Server-Sent Events', () => {
  let t: TestApp;
  let sockets: Set<Socket>;
  const clients: TracklightClient[] = [];
  const call = rest(() => t);

  beforeAll(async () => {
    t = await startApp();
    sockets = new Set();
    (t.app.getHttpServer() as Server).on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await t.close();
  });

  function client(options: Partial<ClientOptions> = {}): TracklightClient {
    const c = new TracklightClient({
      url: `${t.ws}/ws/connect`,
      token: token({ sub: 'sid' }),
      transport: 'sse',
      backoff: { initialMs: 50, maxMs: 200, longMs: 1000 },
      ...options,
    });
    clients.push(c);
    return c;
  }

  const anomalyEvent = (n: number) => ({
    anomalyId: `a${n}`,
    packageId: 'p',
    trackingNumber: 'TN',
    anomalyType: 'delay',
    severity: 'low' as const,
    description: 'late',
    recommendedAction: 'wait',
    confidenceScore: 0.5,
    detectedAt: new Date().toISOString(),
  });

  it('snapshot then live events of a package, and topics added and removed later without losing events', async () => {
    const trackingNumber = await newPackage();
    const c = client();
    await waitForStatus(c, (s) => s.state === 'open');
    const pkg: string[] = [];
    await c.subscribe(`package:${trackingNumber}`, (m) => pkg.push(m.type === 'snapshot' ? 'snapshot' : m.data.status))
      .ready;
    await until(() => pkg.length === 1, 5000, 'the snapshot');
    await scan(trackingNumber, 'picked_up');
    await until(() => pkg.includes('picked_up'), 5000, 'the live update');

    const anomalies: string[] = [];
    // Only this test's anomalies: the real engine may resolve one of another test's packages meanwhile.
    await c.subscribe('anomalies', (m) => {
      if (/^a\d+$/.test(m.data.anomalyId)) anomalies.push(m.data.anomalyId);
    }).ready;
    const bus = t.app.get(EventBus);
    await bus.publish('anomalies', 'anomaly_detected', anomalyEvent(1));
    await until(() => anomalies.length === 1, 5000, 'the first anomaly');
    // Unsubscribing restarts the stream that held the package: anomalies published meanwhile still arrive once.
    c.unsubscribe(`package:${trackingNumber}`);
    const publishing = Promise.all([2, 3, 4].map((n) => bus.publish('anomalies', 'anomaly_detected', anomalyEvent(n))));
    await publishing;
    await until(() => anomalies.length === 4, 5000, 'every anomaly');
    await scan(trackingNumber, 'in_transit');
    await bus.publish('anomalies', 'anomaly_detected', anomalyEvent(5));
    await until(() => anomalies.length === 5, 5000, 'the fifth anomaly');
    expect(anomalies).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(pkg).toEqual(['snapshot', 'picked_up']);
    expect((await c.ping()).type).toBe('pong');
  });

  it('after the network drops the stream it reconnects and resumes with no gap and no duplicate', async () => {
    const c = client({ backoff: { initialMs: 300, maxMs: 300 }, random: () => 1 });
    const seen: string[] = [];
    await c.subscribe('anomalies', (m) => {
      if (/^a\d+$/.test(m.data.anomalyId)) seen.push(m.data.anomalyId);
    }).ready;
    const bus = t.app.get(EventBus);
    await bus.publish('anomalies', 'anomaly_detected', anomalyEvent(10));
    await until(() => seen.length === 1, 5000, 'the first event');
    for (const s of sockets) s.destroy();
    await waitForStatus(c, (s) => s.state === 'reconnecting');
    await bus.publish('anomalies', 'anomaly_detected', anomalyEvent(11));
    const open = await waitForStatus(c, (s) => s.state === 'open' && s.recovery !== undefined);
    expect(open).toMatchObject({ recovery: { recovered: true, gapTopics: [] } });
    await bus.publish('anomalies', 'anomaly_detected', anomalyEvent(12));
    await until(() => seen.length >= 3, 5000, 'three events');
    expect(seen).toEqual(['a10', 'a11', 'a12']);
  });

  it('a refused topic fails its subscription with the server error, as over WebSocket', async () => {
    const c = client();
    await waitForStatus(c, (s) => s.state === 'open');
    const sub = c.subscribe('system_health', () => undefined);
    await expect(sub.ready).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(c.status.state).toBe('open');
  });

  it('a bad token closes with 4401 and stops', async () => {
    const c = client({ url: `${t.ws}/ws/dashboard`, token: 'not-a-jwt' });
    const closed = await waitForStatus(c, (s) => s.state === 'closed');
    expect(closed).toMatchObject({ close: { code: 4401, advice: 'stop' } });
  });

  it('transport auto: falls back to SSE by itself when WebSocket upgrades are refused while HTTP works', async () => {
    const proxy = await upgradeRefusingProxy(t.port);
    try {
      const c = client({ url: `ws://127.0.0.1:${proxy.port}/ws/dashboard`, transport: 'auto', WebSocket });
      const open = await waitForStatus(c, (s) => s.state === 'open', 10_000);
      expect(open.state).toBe('open');
      expect(proxy.upgrades()).toBe(1);
      const metrics: string[] = [];
      c.subscribe('dashboard_metrics', (m) => metrics.push(m.type));
      await until(() => metrics.includes('snapshot'), 5000, 'the dashboard snapshot over SSE');
      // Directly against the gateway, auto stays on WebSocket.
      const direct = client({ url: `${t.ws}/ws/connect`, transport: 'auto', WebSocket });
      await waitForStatus(direct, (s) => s.state === 'open');
      expect(direct.connection?.endpoint).toBe('/ws/connect');
    } finally {
      for (const c of clients.splice(0)) c.close();
      await proxy.close();
    }
  });

  async function newPackage(): Promise<string> {
    const trackingNumber = tn();
    expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
    return trackingNumber;
  }
  function scan(trackingNumber: string, status: string) {
    return postScan(call, trackingNumber, ops(), { status, location: 'Lyon', latitude: 45.76, longitude: 4.84 });
  }
});
