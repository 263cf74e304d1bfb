import { randomBytes } from 'node:crypto';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { ConnectionRegistry } from '../../apps/gateway/src/gateway/connection-registry.js';
import { startApp, type TestApp } from '../support/app.js';
import { EncodedClient } from '../support/encoded-client.js';
import { SseClient } from '../support/sse.js';
import { viewer } from '../support/tokens.js';
import { anomaly } from '../support/ws.js';

/** An anomaly whose frame is well over 1 KiB and compresses well. */
const big = (anomalyId: string) => anomaly({ anomalyId, description: `late again; `.repeat(200) });
const small = (anomalyId: string) => anomaly({ anomalyId });

describe('permessage-deflate (WS_COMPRESSION, docs/PROTOCOL.md section 3, revision 2)', () => {
  const open: EncodedClient[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  async function subscribed(t: TestApp, options: { deflate?: boolean; msgpack?: boolean }): Promise<EncodedClient> {
    const c = new EncodedClient(`${t.ws}/ws/connect`, { token: viewer(), ...options });
    open.push(c);
    await c.opened;
    await c.next('connected');
    expect((await c.request('subscribe', { topics: ['anomalies'] })).type).toBe('subscribed');
    return c;
  }

  describe('off (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('a client offering deflate gets no extension and uncompressed frames', async () => {
      const c = await subscribed(t, { deflate: true });
      expect(c.ws.extensions).toBe('');
      await t.app.get(EventBus).publish('anomalies', 'anomaly_detected', big('off-1'));
      expect((await c.next('anomaly_detected')).data.anomalyId).toBe('off-1');
      expect(c.wire.some((w) => w.compressed)).toBe(false);
    });
  });

  describe('on', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ WS_COMPRESSION: 'on' });
    });
    afterAll(async () => {
      await t.close();
    });

    it.each([
      ['JSON', false],
      ['MessagePack', true],
    ])(
      '%s: frames of 1 KiB and more are compressed, smaller ones are not, and both arrive intact and in order',
      async (_name, msgpack) => {
        const c = await subscribed(t, { deflate: true, msgpack });
        expect(c.ws.extensions).toContain('permessage-deflate');
        const plain = await subscribed(t, { deflate: false, msgpack });
        expect(plain.ws.extensions).toBe('');
        const bus = t.app.get(EventBus);
        const sent = [big('b1'), small('s1'), big('b2'), small('s2')];
        for (const a of sent) await bus.publish('anomalies', 'anomaly_detected', a);
        for (const client of [c, plain]) {
          for (const a of sent) expect((await client.next('anomaly_detected')).data).toEqual(a);
        }
        const events = c.wire.slice(-4);
        expect(events.map((w) => w.compressed)).toEqual([true, false, true, false]);
        const plainEvents = plain.wire.slice(-4);
        expect(plainEvents.some((w) => w.compressed)).toBe(false);
        // The big frames shrink to a fraction of what the client without deflate got.
        expect(events[0].payloadBytes).toBeLessThan(plainEvents[0].payloadBytes / 4);
        expect(events[1].payloadBytes).toBe(plainEvents[1].payloadBytes);
      },
    );

    it('replies and snapshots go through the same compressed connection, in order with events', async () => {
      const c = await subscribed(t, { deflate: true });
      const bus = t.app.get(EventBus);
      await bus.publish('anomalies', 'anomaly_detected', big('o1'));
      // A reply sent while the big event may still be in ws's compression queue comes after it.
      const pong = await c.request('ping', { pad: 'x'.repeat(2000) });
      expect(pong.type).toBe('pong');
      await bus.publish('anomalies', 'anomaly_detected', big('o2'));
      await c.next((f) => f.data?.anomalyId === 'o2');
      const types = c.frames.map((f) => f.frame.type).slice(-3);
      expect(types).toEqual(['anomaly_detected', 'pong', 'anomaly_detected']);
      const snap = await c.request('subscribe', { topics: ['dashboard_metrics'] });
      expect(snap.type).toBe('subscribed');
      expect((await c.next('snapshot')).topic).toBe('dashboard_metrics');
    });
  });
});

describe('a compressed connection or an SSE stream that stops reading (WS_MAX_BUFFERED_BYTES)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ WS_COMPRESSION: 'on', WS_MAX_BUFFERED_BYTES: String(256 * 1024) });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Incompressible filler, so the compressed frames stay large. */
  const noise = (n: number) => randomBytes(n).toString('base64');

  it('is a slow consumer like any other: taken out of its topics and closed 4409', async () => {
    const c = new EncodedClient(`${t.ws}/ws/connect`, { token: viewer('slowdeflate'), deflate: true });
    await c.opened;
    await c.next('connected');
    await c.request('subscribe', { topics: ['anomalies'] });
    const stream = new SseClient(`${t.http}/sse?topics=anomalies&token=${viewer('slowsse')}`);
    await stream.next('connected');
    const registry = t.app.get(ConnectionRegistry);
    const mine = () => [...registry.all()].filter((x) => x.userId === 'slowdeflate' || x.userId === 'slowsse');
    expect(
      mine()
        .map((x) => [x.deflate, x.sse])
        .sort(),
    ).toEqual([
      [false, true],
      [true, false],
    ]);
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    stream.pause();
    const bus = t.app.get(EventBus);
    for (let i = 0; i < 2000 && mine().some((x) => !x.closed); i++) {
      await bus.publish(
        'anomalies',
        'anomaly_detected',
        anomaly({ anomalyId: `s${i}`, description: noise(24 * 1024) }),
      );
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(mine().map((x) => x.closeCode)).toEqual([4409, 4409]);
    expect(registry.fanout.subscribers('anomalies')).toBe(0);
    (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await c.closed).code).toBe(4409);
    await stream.close();
  }, 30_000);
});
