import type { Socket } from 'node:net';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { ConnectionRegistry } from '../../apps/gateway/src/gateway/connection-registry.js';
import { startApp, type TestApp } from '../support/app.js';
import { viewer } from '../support/tokens.js';
import { anomaly, connected, packageUpdate, type TestClient } from '../support/ws.js';

const rawSocket = (c: TestClient): Socket => (c.ws as unknown as { _socket: Socket })._socket;

describe('gateway with WS_COALESCE_MS (writes batched per client)', () => {
  let t: TestApp;
  let bus: EventBus;
  beforeAll(async () => {
    t = await startApp({ WS_COALESCE_MS: '20', WS_MAX_BUFFERED_BYTES: '65536' });
    bus = t.app.get(EventBus);
  });
  afterAll(async () => {
    await t.close();
  });

  it('delivers every event once, in order, with replies kept in sequence', async () => {
    const c = await connected(t.ws, '/ws/connect', { token: viewer() });
    c.send({ type: 'subscribe', ref: 's', data: { topics: ['anomalies'] } });
    await c.next('subscribed');
    let chunks = 0;
    rawSocket(c).on('data', () => (chunks += 1));
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push((await bus.publish('anomalies', 'anomaly_detected', anomaly())).id);
      await new Promise((r) => setImmediate(r)); // one event per loop turn: unbatched, 50 writes
    }
    const pong = await c.request('ping', undefined, 'after');
    expect(pong.type).toBe('pong');
    const events = c.all('anomaly_detected').map((f) => f.id);
    expect(events).toEqual(ids);
    expect(c.frames.map((f) => f.type).at(-1)).toBe('pong');
    // Batched into a few writes per 20 ms window (one event per write would be 51 reads).
    expect(chunks).toBeLessThan(25);
    await c.close();
  });

  it('still closes a client that stops reading with 4409', async () => {
    const c = await connected(t.ws, '/ws/packages', { token: viewer('slow') });
    const id = c.frames[0].data.connectionId as string;
    rawSocket(c).pause();
    const registry = t.app.get(ConnectionRegistry);
    const big = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 4000 && !registry.get(id)?.closed; i++) {
      await bus.publish('package_updates', 'package_update', packageUpdate({ location: big }));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 25)); // let windows end
    }
    expect(registry.get(id)?.closed).toBe(true);
    rawSocket(c).resume();
    expect((await c.closed).code).toBe(4409);
  });

  it('a graceful close still reaches the client (1001 on shutdown)', async () => {
    const other = await startApp({ WS_COALESCE_MS: '50' });
    const c = await connected(other.ws, '/ws/packages', { token: viewer() });
    await other.app.get(EventBus).publish('package_updates', 'package_update', packageUpdate());
    await other.close();
    expect((await c.closed).code).toBe(1001);
    expect(c.all('package_update')).toHaveLength(1);
  });
});
