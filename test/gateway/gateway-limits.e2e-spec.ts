import type { Socket } from 'node:net';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { ConnectionRegistry } from '../../apps/gateway/src/gateway/connection-registry.js';
import { GatewayMetrics } from '../../apps/gateway/src/observability/gateway-metrics.js';
import { startApp, type TestApp } from '../support/app.js';
import { rawUpgradeStatus } from '../support/raw-upgrade.js';
import { viewer } from '../support/tokens.js';
import { connect, connected, mapUpdate, type TestClient } from '../support/ws.js';

/** The client's TCP socket, to stop reading (a consumer that stalls). */
const rawSocket = (c: TestClient): Socket => (c.ws as unknown as { _socket: Socket })._socket;

describe('gateway limits (docs/PROTOCOL.md section 6)', () => {
  describe('per connection', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({
        WS_RATE_PER_SECOND: '1',
        WS_RATE_BURST: '3',
        WS_FLOOD_CLOSE_AFTER: '4',
        WS_MAX_SUBSCRIPTIONS: '3',
        WS_MAX_PAYLOAD_BYTES: '4096',
        WS_MAX_BUFFERED_BYTES: '65536',
        WS_HEARTBEAT_MS: '200',
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('RATE_LIMITED drops the message; sustained flooding closes with 1008', async () => {
      const c = await connected(t.ws, '/ws/connect', { token: viewer('flooder') });
      for (let i = 0; i < 3; i++) c.send({ type: 'ping', ref: `ok${i}` });
      for (const ref of ['ok0', 'ok1', 'ok2']) expect((await c.next((f) => f.ref === ref)).type).toBe('pong');
      c.send({ type: 'ping', ref: 'dropped' });
      const limited = await c.next('error');
      expect(limited).toMatchObject({ ref: 'dropped', data: { code: 'RATE_LIMITED' } });
      for (let i = 0; i < 10; i++) c.send({ type: 'ping' });
      expect((await c.closed).code).toBe(1008);
      // Dropped: its only reply is the RATE_LIMITED error, it was never handled.
      expect(c.all((f) => f.ref === 'dropped')).toEqual([limited]);
      const metrics = t.app.get(GatewayMetrics);
      expect(metrics.dropped).toBeGreaterThanOrEqual(4);
      expect(metrics.dropped).toBe(metrics.droppedEvents + metrics.rateLimited);
    });

    it('a frame larger than the limit closes with 1009', async () => {
      const c = await connected(t.ws, '/ws/connect', { token: viewer('big') });
      c.send({ type: 'ping', data: { pad: 'x'.repeat(5000) } });
      expect((await c.closed).code).toBe(1009);
    });

    it('LIMIT_EXCEEDED past the subscription cap, nothing subscribed', async () => {
      const c = await connected(t.ws, '/ws/map', { token: viewer('many') });
      expect((await c.request('subscribe', { topics: ['anomalies'] })).type).toBe('subscribed');
      const err = await c.request('subscribe', { topics: ['package:A', 'package:B', 'map_updates'] });
      expect(err.data).toMatchObject({ code: 'LIMIT_EXCEEDED', topics: ['package:A', 'package:B'] });
      // Topics already held do not count again.
      expect((await c.request('subscribe', { topics: ['map_updates', 'anomalies'] })).type).toBe('subscribed');
      await c.close();
    });

    it('a client that stops reading is closed with 4409 once its send buffer passes the limit', async () => {
      // map_updates, not a stored topic: a publish is immediate, as the short heartbeat here needs
      // (a stored topic's publish is an event-log commit). One package each: nothing conflates.
      const c = await connected(t.ws, '/ws/map', { token: viewer('slow') });
      const id = c.frames[0].data.connectionId as string;
      rawSocket(c).pause();
      const registry = t.app.get(ConnectionRegistry);
      const bus = t.app.get(EventBus);
      const big = 'x'.repeat(16 * 1024);
      for (let i = 0; i < 4000 && !registry.get(id)?.closed; i++) {
        await bus.publish('map_updates', 'map_update', mapUpdate({ packageId: `p${i}`, note: big }));
      }
      expect(registry.get(id)?.closed).toBe(true);
      rawSocket(c).resume();
      expect((await c.closed).code).toBe(4409);
    });

    it('terminates a peer that stops answering pings, keeps one that answers', async () => {
      const dead = await connected(t.ws, '/ws/connect', { token: viewer('dead'), wsOptions: { autoPong: false } });
      const alive = await connected(t.ws, '/ws/connect', { token: viewer('alive') });
      const closed = await dead.closed;
      expect(closed.code).toBe(1006);
      expect((await alive.request('ping')).type).toBe('pong');
      await alive.close();
    });
  });

  describe('per user', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ WS_MAX_CONNECTIONS_PER_USER: '2' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('the connection past the per-user cap gets an error and 4429; others are not affected', async () => {
      const a = await connected(t.ws, '/ws/connect', { token: viewer('capped') });
      const b = await connected(t.ws, '/ws/connect', { token: viewer('capped') });
      const c = connect(t.ws, '/ws/connect', { token: viewer('capped') });
      expect((await c.closed).code).toBe(4429);
      expect(c.frames).toEqual([
        expect.objectContaining({ type: 'error', data: expect.objectContaining({ code: 'LIMIT_EXCEEDED' }) }),
      ]);
      const other = await connected(t.ws, '/ws/connect', { token: viewer('someone-else') });
      await a.close();
      const again = await connected(t.ws, '/ws/connect', { token: viewer('capped') });
      await Promise.all([b.close(), other.close(), again.close()]);
    });
  });

  describe('per IP and origin (only when configured)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({
        WS_MAX_CONNECTIONS_PER_IP: '2',
        WS_HANDSHAKES_PER_SECOND_PER_IP: '3',
        TRUST_PROXY: 'on',
        ALLOWED_ORIGINS: 'https://good.example',
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('refuses a disallowed Origin with HTTP 403 before upgrading; allows a listed one', async () => {
      expect(await rawUpgradeStatus(t.port, `/ws/connect?token=${viewer()}`, { Origin: 'https://evil.example' })).toBe(
        'HTTP/1.1 403 Forbidden',
      );
      const ok = await connected(t.ws, '/ws/connect', { token: viewer(), headers: { origin: 'https://good.example' } });
      await ok.close();
    });

    it('caps concurrent connections per forwarded address with 4429', async () => {
      const xff = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };
      const a = await connected(t.ws, '/ws/connect', { token: viewer('ip1'), headers: xff });
      const b = await connected(t.ws, '/ws/connect', { token: viewer('ip2'), headers: xff });
      const c = connect(t.ws, '/ws/connect', { token: viewer('ip3'), headers: xff });
      expect((await c.closed).code).toBe(4429);
      const elsewhere = await connected(t.ws, '/ws/connect', {
        token: viewer('ip4'),
        headers: { 'x-forwarded-for': '198.51.100.1' },
      });
      await Promise.all([a.close(), b.close(), elsewhere.close()]);
    });

    it('counts the address the trusted proxy appended, not the forgeable entries before it', async () => {
      const via = (forged: string) => ({ 'x-forwarded-for': `${forged}, 198.51.100.77` });
      const a = await connected(t.ws, '/ws/connect', { token: viewer('fw1'), headers: via('1.1.1.1') });
      const b = await connected(t.ws, '/ws/connect', { token: viewer('fw2'), headers: via('2.2.2.2') });
      const c = connect(t.ws, '/ws/connect', { token: viewer('fw3'), headers: via('3.3.3.3') });
      expect((await c.closed).code).toBe(4429);
      await Promise.all([a.close(), b.close()]);
    });

    it('answers handshakes beyond the per-second rate with HTTP 429', async () => {
      const headers = { 'X-Forwarded-For': '192.0.2.55' };
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => rawUpgradeStatus(t.port, `/ws/connect?token=${viewer()}`, headers)),
      );
      expect(answers).toContain('HTTP/1.1 429 Too Many Requests');
      expect(answers).toContain('HTTP/1.1 101 Switching Protocols');
    });
  });
});
