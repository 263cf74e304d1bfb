import { connect as netConnect, type Socket } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { ConnectionRegistry } from '../../apps/gateway/src/gateway/connection-registry.js';
import { GatewayMetrics } from '../../apps/gateway/src/observability/gateway-metrics.js';
import { startApp, type TestApp } from '../support/app.js';
import { viewer } from '../support/tokens.js';
import { anomaly, connected, dashboardMetrics, mapUpdate, packageUpdate, type TestClient } from '../support/ws.js';

/**
 * A WebSocket peer reduced to its TCP socket: it completes the handshake, then never reads or
 * writes again (a stalled consumer, or a peer that vanished without closing). It answers no ping.
 */
function stalledPeer(port: number, path: string, jwt: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      socket.write(
        [
          `GET ${path}?token=${jwt} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    let head = '';
    const onData = (d: Buffer): void => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(head.split('\r\n')[0]));
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

const rawSocket = (c: TestClient): Socket => (c.ws as unknown as { _socket: Socket })._socket;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('slow consumers: 200 clients stop reading during a flood', () => {
  const MAX_BUFFERED = 256 * 1024;
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ WS_MAX_BUFFERED_BYTES: String(MAX_BUFFERED), WS_MAX_CONNECTIONS_PER_USER: '500' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('closes every one with 4409, stops writing to them at once, frees them, and memory stays bounded', async () => {
    const registry = t.app.get(ConnectionRegistry);
    const bus = t.app.get(EventBus);
    const baseline = process.memoryUsage().rss;
    const jwt = viewer('stalled');
    const peers: Socket[] = [];
    for (let i = 0; i < 197; i++) peers.push(await stalledPeer(t.port, '/ws/packages', jwt));
    const watched: TestClient[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await connected(t.ws, '/ws/packages', { token: jwt });
      rawSocket(c).pause();
      watched.push(c);
    }
    await waitFor('200 subscribers', () => registry.fanout.subscribers('package_updates') === 200);

    const pad = 'x'.repeat(32 * 1024);
    let peak = process.memoryUsage().rss;
    let published = 0;
    const allClosed = (): boolean => [...registry.all()].every((c) => c.closed);
    while (!allClosed() && published < 5000) {
      await bus.publish('package_updates', 'package_update', packageUpdate({ location: pad }));
      published += 1;
      if (published % 20 === 0) {
        await tick();
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    }
    expect(allClosed()).toBe(true);
    expect([...registry.all()].map((c) => c.closeCode)).toEqual(Array(200).fill(4409));
    // Taken out of every topic at once: further events cost them nothing.
    expect(registry.fanout.subscribers('package_updates')).toBe(0);
    for (let i = 0; i < 200; i++) {
      await bus.publish('package_updates', 'package_update', packageUpdate({ location: pad }));
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const growth = peak - baseline;
    console.log(
      `slow consumers: ${published} events of 32 KiB until all 200 were closed 4409; ` +
        `RSS ${mb(baseline)} -> peak ${mb(peak)} (+${mb(growth)})`,
    );
    // Generous: every client's allowance plus room for the test's own clients and the GC.
    expect(growth).toBeLessThan(200 * MAX_BUFFERED + 256 * 1024 * 1024);

    // The close frame waits behind the full buffer: a client that reads again sees 4409.
    for (const c of watched) rawSocket(c).resume();
    for (const c of watched) expect((await c.closed).code).toBe(4409);
    // The others never read: the server destroys them after its close grace period.
    await waitFor('the stalled peers to be freed', () => registry.size === 0, 15_000);
    for (const p of peers) p.destroy();
  }, 60_000);
});

describe('dead peers: heartbeat', () => {
  const INTERVAL = 300;
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ WS_HEARTBEAT_MS: String(INTERVAL) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a peer that vanished without closing is terminated within two intervals; a live one stays', async () => {
    const registry = t.app.get(ConnectionRegistry);
    const alive = await connected(t.ws, '/ws/connect', { token: viewer('alive') });
    const since = Date.now();
    const peer = await stalledPeer(t.port, '/ws/connect', viewer('ghost'));
    await waitFor('the ghost to be registered', () => registry.size === 2);
    await waitFor('the ghost to be terminated', () => registry.size === 1, 5_000);
    const elapsed = Date.now() - since;
    // Two intervals, plus slack for a busy CI machine.
    expect(elapsed).toBeLessThan(2 * INTERVAL + 400);
    // The live client answered every ping meanwhile, and still does after several intervals.
    await new Promise((r) => setTimeout(r, 3 * INTERVAL));
    expect((await alive.request('ping')).type).toBe('pong');
    expect(registry.size).toBe(1);
    peer.destroy();
    await alive.close();
  });
});

describe('conflation for a client that falls behind', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ WS_MAX_BUFFERED_BYTES: String(1024 * 1024), WS_CONFLATE_BYTES: String(128 * 1024) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('gets the latest position per package and the latest figures, in id order, without 4409', async () => {
    const registry = t.app.get(ConnectionRegistry);
    const metrics = t.app.get(GatewayMetrics);
    const bus = t.app.get(EventBus);
    const c = await connected(t.ws, '/ws/connect', { token: viewer('lagging') });
    const id = c.frames[0].data.connectionId as string;
    expect((await c.request('subscribe', { topics: ['map_updates', 'anomalies'] })).type).toBe('subscribed');
    const dash = await c.request('subscribe', { topics: ['dashboard_metrics'] });
    expect(dash.type).toBe('subscribed');
    await c.next('snapshot');
    rawSocket(c).pause();

    const pad = 'y'.repeat(8 * 1024);
    const packages = ['P1', 'P2', 'P3'];
    const figures = (n: number) => dashboardMetrics({ totalPackages: n });
    let i = 0;
    let anomalies = 0;
    // Far more map data than the 1 MiB limit: only conflation keeps the client connected.
    while ((metrics.conflated < 300 || i < 1000) && i < 20_000) {
      const packageId = packages[i % 3];
      await bus.publish('map_updates', 'map_update', mapUpdate({ packageId, latitude: i % 90, pad, seq: i }));
      if (i % 10 === 0) await bus.publish('dashboard_metrics', 'dashboard_metrics', figures(i));
      if (i % 100 === 0) await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: `A${anomalies++}` }));
      if (i % 50 === 0) await tick();
      i += 1;
    }
    expect(metrics.conflated).toBeGreaterThanOrEqual(300);
    expect(registry.get(id)?.closed).toBe(false);
    const last = i - 1;
    for (const [k, packageId] of packages.entries()) {
      await bus.publish('map_updates', 'map_update', mapUpdate({ packageId, latitude: 89, pad, seq: last + 1 + k }));
    }
    await bus.publish('dashboard_metrics', 'dashboard_metrics', figures(999_999));
    await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: `A${anomalies++}` }));

    rawSocket(c).resume();
    await c.next((f) => f.type === 'anomaly_detected' && f.data.anomalyId === `A${anomalies - 1}`, 20_000);
    await c.next((f) => f.type === 'dashboard_metrics' && f.data.totalPackages === 999_999, 20_000);
    for (const [k, packageId] of packages.entries()) {
      await c.next((f) => f.type === 'map_update' && f.data.packageId === packageId && f.data.seq === last + 1 + k);
    }
    const events = c.frames.filter((f) => f.id !== undefined);
    const ids = events.map((f) => f.id as string);
    const byNumber = (a: string, b: string): number => {
      const [am, as] = a.split('-').map(Number);
      const [bm, bs] = b.split('-').map(Number);
      return am - bm || as - bs;
    };
    expect([...ids].sort(byNumber)).toEqual(ids);
    // Every anomaly (not conflatable) arrived exactly once; intermediate positions were skipped.
    expect(events.filter((f) => f.type === 'anomaly_detected').map((f) => f.data.anomalyId as string)).toEqual(
      Array.from({ length: anomalies }, (_, n) => `A${n}`),
    );
    const positions = events.filter((f) => f.type === 'map_update').length;
    console.log(`conflation: ${i + 3} map_updates published, ${positions} delivered, ${metrics.conflated} conflated`);
    expect(positions).toBeLessThan(i + 3);
    expect(registry.get(id)?.closed).toBe(false);
    expect((await c.request('ping')).type).toBe('pong');
    await c.close();
  }, 60_000);
});
