import { jest } from '@jest/globals';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { ConnectionRegistry } from '../../apps/gateway/src/gateway/connection-registry.js';
import { SnapshotRegistry } from '../../apps/gateway/src/snapshots/snapshot-registry.js';
import { startApp, type TestApp } from '../support/app.js';
import { admin, ops, viewer } from '../support/tokens.js';
import { anomaly, connected, mapUpdate, notification, packageUpdate, type TestClient } from '../support/ws.js';

describe('gateway: client messages, errors, filters, resume (docs/PROTOCOL.md section 3)', () => {
  let t: TestApp;
  let bus: EventBus;
  const open: TestClient[] = [];
  const client = async (path: string, tok = viewer()): Promise<TestClient> => {
    const c = await connected(t.ws, path, { token: tok });
    open.push(c);
    return c;
  };
  /** Round-trips a ping: every frame the server sent before the pong has arrived. */
  const settle = async (c: TestClient): Promise<void> => {
    await c.request('ping');
  };

  beforeAll(async () => {
    t = await startApp();
    bus = t.app.get(EventBus);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t.close();
  });

  describe('errors', () => {
    it.each(['not json', '[1,2]', '"text"', '42', 'null'])(
      'INVALID_JSON for %s, connection stays open',
      async (raw) => {
        const c = await client('/ws/connect');
        c.send(raw);
        expect((await c.next('error')).data).toMatchObject({ code: 'INVALID_JSON', message: expect.any(String) });
        expect((await c.request('ping')).type).toBe('pong');
      },
    );

    it('INVALID_JSON for a binary frame', async () => {
      const c = await client('/ws/connect');
      c.ws.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
      expect((await c.next('error')).data.code).toBe('INVALID_JSON');
    });

    it.each([
      ['no type', { ref: 'r1' }],
      ['empty topics', { type: 'subscribe', ref: 'r1', data: { topics: [] } }],
      [
        '51 topics',
        { type: 'subscribe', ref: 'r1', data: { topics: Array.from({ length: 51 }, (_, i) => `package:T${i}`) } },
      ],
      ['topics not strings', { type: 'subscribe', ref: 'r1', data: { topics: [1] } }],
      ['unknown data field', { type: 'subscribe', ref: 'r1', data: { topics: ['anomalies'], extra: true } }],
      ['unknown frame field', { type: 'ping', ref: 'r1', extra: true }],
      ['filter not an object', { type: 'subscribe', ref: 'r1', data: { topics: ['anomalies'], filter: [] } }],
      [
        'bad severity',
        { type: 'subscribe', ref: 'r1', data: { topics: ['anomalies'], filter: { minSeverity: 'huge' } } },
      ],
      ['bbox of 3', { type: 'subscribe', ref: 'r1', data: { topics: ['map_updates'], filter: { bbox: [1, 2, 3] } } }],
      [
        'bbox latitude',
        { type: 'subscribe', ref: 'r1', data: { topics: ['map_updates'], filter: { bbox: [0, -95, 10, 10] } } },
      ],
      [
        'bbox south>north',
        { type: 'subscribe', ref: 'r1', data: { topics: ['map_updates'], filter: { bbox: [0, 10, 10, 0] } } },
      ],
      [
        'filter key no topic understands',
        { type: 'subscribe', ref: 'r1', data: { topics: ['anomalies'], filter: { bbox: [0, 0, 1, 1] } } },
      ],
      [
        'unknown filter key',
        { type: 'subscribe', ref: 'r1', data: { topics: ['anomalies'], filter: { colour: 'red' } } },
      ],
      ['auth without token', { type: 'auth', ref: 'r1', data: {} }],
      ['unsubscribe without data', { type: 'unsubscribe', ref: 'r1' }],
    ])('INVALID_MESSAGE (%s) echoes the ref', async (_name, frame) => {
      const c = await client('/ws/connect');
      c.send(frame);
      const err = await c.next('error');
      expect(err.data).toMatchObject({ code: 'INVALID_MESSAGE', message: expect.any(String) });
      if ('type' in frame) expect(err.ref).toBe('r1');
    });

    it('INVALID_MESSAGE for a ref longer than 64 characters, without echoing it', async () => {
      const c = await client('/ws/connect');
      c.send({ type: 'ping', ref: 'x'.repeat(65) });
      const err = await c.next('error');
      expect(err.data.code).toBe('INVALID_MESSAGE');
      expect(err.ref).toBeUndefined();
    });

    it('UNKNOWN_TYPE echoes the ref', async () => {
      const c = await client('/ws/connect');
      c.send({ type: 'dance', ref: 'r9' });
      expect(await c.next('error')).toMatchObject({ ref: 'r9', data: { code: 'UNKNOWN_TYPE' } });
    });

    it('a __proto__ key is refused, not merged', async () => {
      const c = await client('/ws/connect');
      c.send('{"type":"subscribe","ref":"p","data":{"topics":["anomalies"],"__proto__":{"admin":true}}}');
      expect(await c.next('error')).toMatchObject({ ref: 'p', data: { code: 'INVALID_MESSAGE' } });
    });
  });

  describe('subscribe and unsubscribe', () => {
    it('UNKNOWN_TOPIC names the offending topics and subscribes nothing (all-or-nothing)', async () => {
      const c = await client('/ws/connect');
      const err = await c.request('subscribe', { topics: ['anomalies', 'nope', 'package:'] });
      expect(err.data).toMatchObject({ code: 'UNKNOWN_TOPIC', topics: ['nope', 'package:'] });
      await bus.publish('anomalies', 'anomaly_detected', anomaly());
      await settle(c);
      expect(c.all('anomaly_detected')).toHaveLength(0);
    });

    it('FORBIDDEN names the topics a viewer may not read and subscribes nothing', async () => {
      const c = await client('/ws/connect');
      const err = await c.request('subscribe', { topics: ['anomalies', 'agent_activity', 'system_health'] });
      expect(err.data).toMatchObject({ code: 'FORBIDDEN', topics: ['agent_activity', 'system_health'] });
      await bus.publish('anomalies', 'anomaly_detected', anomaly());
      await settle(c);
      expect(c.all('anomaly_detected')).toHaveLength(0);
    });

    it('ops may subscribe to agent_activity', async () => {
      const c = await client('/ws/connect', ops());
      expect((await c.request('subscribe', { topics: ['agent_activity'] })).type).toBe('subscribed');
    });

    it('schedule:{id}: owner and admin may read, others FORBIDDEN, unknown ids UNKNOWN_TOPIC', async () => {
      t.app.get(SnapshotRegistry).registerOwnership('schedule:', {
        ownerOf: (id) => Promise.resolve(id === 'S1' ? 'olga' : undefined),
      });
      const owner = await client('/ws/connect', viewer('olga'));
      const stranger = await client('/ws/connect', viewer('sam'));
      const boss = await client('/ws/connect', admin('ada'));
      expect((await owner.request('subscribe', { topics: ['schedule:S1'] })).type).toBe('subscribed');
      expect((await boss.request('subscribe', { topics: ['schedule:S1'] })).type).toBe('subscribed');
      expect((await stranger.request('subscribe', { topics: ['schedule:S1'] })).data).toMatchObject({
        code: 'FORBIDDEN',
        topics: ['schedule:S1'],
      });
      expect((await owner.request('subscribe', { topics: ['schedule:S404'] })).data).toMatchObject({
        code: 'UNKNOWN_TOPIC',
        topics: ['schedule:S404'],
      });
    });

    it('subscribing twice is not an error and delivers each event once', async () => {
      const c = await client('/ws/connect');
      const first = await c.request('subscribe', { topics: ['anomalies'] }, 'a');
      const second = await c.request('subscribe', { topics: ['anomalies', 'anomalies'] }, 'b');
      expect(first).toMatchObject({ type: 'subscribed', ref: 'a', data: { topics: ['anomalies'] } });
      expect(second).toMatchObject({ type: 'subscribed', ref: 'b', data: { topics: ['anomalies'] } });
      const e = await bus.publish('anomalies', 'anomaly_detected', anomaly());
      await settle(c);
      expect(c.all((f) => f.id === e.id)).toHaveLength(1);
    });

    it('unsubscribe stops delivery; unsubscribing a topic not held is not an error', async () => {
      const c = await client('/ws/packages');
      const reply = await c.request('unsubscribe', { topics: ['package_updates', 'anomalies'] }, 'u');
      expect(reply).toMatchObject({
        type: 'unsubscribed',
        ref: 'u',
        data: { topics: ['package_updates', 'anomalies'] },
      });
      await bus.publish('package_updates', 'package_update', packageUpdate());
      await settle(c);
      expect(c.all('package_update')).toHaveLength(0);
      expect(c.all('error')).toHaveLength(0);
    });

    it('ping answers pong with serverTime and the ref', async () => {
      const c = await client('/ws/connect');
      const pong = await c.request('ping', { anything: [1, 2] }, 'p1');
      expect(pong).toMatchObject({ type: 'pong', ref: 'p1' });
      expect(new Date(pong.data.serverTime).toISOString()).toBe(pong.data.serverTime);
    });
  });

  describe('filters', () => {
    it('map_updates bbox delivers positions inside the box only', async () => {
      const c = await client('/ws/connect');
      await c.request('subscribe', { topics: ['map_updates'], filter: { bbox: [0, 40, 10, 50] } });
      await bus.publish('map_updates', 'map_update', mapUpdate({ longitude: 20, latitude: 45 }));
      const inside = await bus.publish('map_updates', 'map_update', mapUpdate({ longitude: 5, latitude: 45 }));
      await bus.publish('map_updates', 'map_update', mapUpdate({ longitude: 5, latitude: 60 }));
      expect((await c.next('map_update')).id).toBe(inside.id);
      await settle(c);
      expect(c.all('map_update')).toHaveLength(1);
    });

    it('a bbox with west > east crosses the antimeridian', async () => {
      const c = await client('/ws/connect');
      await c.request('subscribe', { topics: ['map_updates'], filter: { bbox: [170, -10, -170, 10] } });
      await bus.publish('map_updates', 'map_update', mapUpdate({ longitude: 0, latitude: 0 }));
      const east = await bus.publish('map_updates', 'map_update', mapUpdate({ longitude: 175, latitude: 0 }));
      const west = await bus.publish('map_updates', 'map_update', mapUpdate({ longitude: -175, latitude: 0 }));
      await settle(c);
      expect(c.all('map_update').map((f) => f.id)).toEqual([east.id, west.id]);
    });

    it('anomalies minSeverity delivers that severity and above', async () => {
      const c = await client('/ws/connect');
      await c.request('subscribe', { topics: ['anomalies'], filter: { minSeverity: 'high' } });
      await bus.publish('anomalies', 'anomaly_detected', anomaly({ severity: 'medium' }));
      const high = await bus.publish('anomalies', 'anomaly_detected', anomaly({ severity: 'high' }));
      const critical = await bus.publish('anomalies', 'anomaly_resolved', anomaly({ severity: 'critical' }));
      await bus.publish('anomalies', 'anomaly_detected', anomaly({ severity: 'low' }));
      await settle(c);
      expect(c.all((f) => f.topic === 'anomalies').map((f) => f.id)).toEqual([high.id, critical.id]);
    });

    it('package_updates carrier and status filters; the filter applies only to topics that understand it', async () => {
      const c = await client('/ws/connect');
      await c.request('subscribe', {
        topics: ['package_updates', 'anomalies'],
        filter: { carrier: 'UPS', status: ['delivered', 'exception'] },
      });
      await bus.publish('package_updates', 'package_update', packageUpdate({ carrier: 'DHL', status: 'delivered' }));
      await bus.publish('package_updates', 'package_update', packageUpdate({ carrier: 'UPS', status: 'in_transit' }));
      const hit = await bus.publish(
        'package_updates',
        'package_update',
        packageUpdate({ carrier: 'UPS', status: 'exception' }),
      );
      const any = await bus.publish('anomalies', 'anomaly_detected', anomaly({ severity: 'low' }));
      await settle(c);
      expect(c.all((f) => f.id !== undefined).map((f) => f.id)).toEqual([hit.id, any.id]);
    });

    it('a later subscribe of the same topic replaces its filter', async () => {
      const c = await client('/ws/connect');
      await c.request('subscribe', { topics: ['anomalies'], filter: { minSeverity: 'critical' } });
      await c.request('subscribe', { topics: ['anomalies'] });
      const low = await bus.publish('anomalies', 'anomaly_detected', anomaly({ severity: 'low' }));
      expect((await c.next('anomaly_detected')).id).toBe(low.id);
    });
  });

  describe('notifications', () => {
    it('a notification with data.userId reaches only that user; others reach everyone', async () => {
      const una = await client('/ws/dashboard', viewer('una'));
      const ben = await client('/ws/dashboard', viewer('ben'));
      const mine = await bus.publish('notifications', 'notification', notification({ userId: 'una' }));
      const all = await bus.publish('notifications', 'notification', notification({ notificationId: 'n2' }));
      await Promise.all([settle(una), settle(ben)]);
      expect(una.all('notification').map((f) => f.id)).toEqual([mine.id, all.id]);
      expect(ben.all('notification').map((f) => f.id)).toEqual([all.id]);
    });
  });

  describe('notifications on resume', () => {
    it('a replay skips notifications aimed at another user', async () => {
      const seen = await bus.publish('notifications', 'notification', notification());
      await bus.publish('notifications', 'notification', notification({ notificationId: 'x', userId: 'someone-else' }));
      const mine = await bus.publish(
        'notifications',
        'notification',
        notification({ notificationId: 'm', userId: 'rosa' }),
      );
      const c = await client('/ws/connect', viewer('rosa'));
      const sub = await c.request('subscribe', { topics: ['notifications'], since: seen.id });
      expect(sub.data.recovered).toBe(true);
      await settle(c);
      expect(c.all('notification').map((f) => f.id)).toEqual([mine.id]);
    });
  });

  describe('resume with since', () => {
    it('replays what was missed in order, then live, with no gap and no duplicate', async () => {
      const seen = await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'r0' }));
      const missed1 = await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'r1' }));
      await bus.publish('map_updates', 'map_update', mapUpdate());
      const missed2 = await bus.publish('anomalies', 'anomaly_resolved', anomaly({ anomalyId: 'r2' }));
      const c = await client('/ws/connect');
      const sub = await c.request('subscribe', { topics: ['anomalies'], since: seen.id });
      expect(sub.data).toEqual({ topics: ['anomalies'], recovered: true });
      const live = await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'r3' }));
      await settle(c);
      const ids = c.all((f) => f.topic === 'anomalies').map((f) => f.id);
      expect(ids).toEqual([missed1.id, missed2.id, live.id]);
      const types = c.frames.map((f) => f.type);
      expect(types.indexOf('subscribed')).toBeLessThan(types.indexOf('anomaly_detected'));
    });

    it('an event published while the replay is read is sent once, after the replay', async () => {
      const seen = await bus.publish('anomalies', 'anomaly_detected', anomaly());
      const missed = await bus.publish('anomalies', 'anomaly_detected', anomaly());
      const replay = bus.replay.bind(bus);
      let during: string | undefined;
      const spy = jest.spyOn(bus, 'replay').mockImplementation(async (topics, since) => {
        during = (await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'during' }))).id;
        return replay(topics, since);
      });
      try {
        const c = await client('/ws/connect');
        await c.request('subscribe', { topics: ['anomalies'], since: seen.id });
        const after = await bus.publish('anomalies', 'anomaly_detected', anomaly());
        await settle(c);
        expect(c.all((f) => f.topic === 'anomalies').map((f) => f.id)).toEqual([missed.id, during, after.id]);
      } finally {
        spy.mockRestore();
      }
    });

    it('an event the replay read before the live feed delivered it is still sent once (Redis lag)', async () => {
      const seen = await bus.publish('anomalies', 'anomaly_detected', anomaly());
      const late = { ...seen, id: `${Date.now() + 60_000}-0`, data: anomaly({ anomalyId: 'late' }) };
      const spy = jest.spyOn(bus, 'replay').mockResolvedValue({ recovered: true, events: [late] });
      try {
        const c = await client('/ws/connect');
        await c.request('subscribe', { topics: ['anomalies'], since: seen.id });
        // The live feed now delivers the same event, as a lagging Redis reader would.
        t.app.get(ConnectionRegistry).fanout.deliver(late);
        const next = { ...late, id: `${Date.now() + 60_001}-0`, data: anomaly({ anomalyId: 'next' }) };
        t.app.get(ConnectionRegistry).fanout.deliver(next);
        await settle(c);
        expect(c.all((f) => f.topic === 'anomalies').map((f) => f.data.anomalyId)).toEqual(['late', 'next']);
      } finally {
        spy.mockRestore();
      }
    });

    it.each(['1-0', 'not-an-id', '99999999999999-0'])(
      'since %s that is not retained: recovered false, then snapshots',
      async (since) => {
        t.app.get(SnapshotRegistry).register('package:', {
          snapshot: (_topic, parsed) =>
            Promise.resolve(packageUpdate({ trackingNumber: parsed.key, status: 'in_transit' })),
        });
        const c = await client('/ws/connect');
        const sub = await c.request('subscribe', { topics: ['package:TNR', 'anomalies'], since });
        expect(sub.data).toEqual({ topics: ['package:TNR', 'anomalies'], recovered: false });
        const snap = await c.next('snapshot');
        expect(snap).toMatchObject({ topic: 'package:TNR', data: { trackingNumber: 'TNR' } });
        await settle(c);
        expect(c.all('snapshot')).toHaveLength(1);
      },
    );
  });

  describe('snapshots', () => {
    it('follow subscribed; an event published while the snapshot is read comes after it, not lost', async () => {
      let during: string | undefined;
      t.app.get(SnapshotRegistry).register('package:', {
        snapshot: async (_topic, parsed) => {
          during = (
            await bus.publish(`package:${parsed.key}`, 'package_update', packageUpdate({ status: 'delivered' }))
          ).id;
          return packageUpdate({ trackingNumber: parsed.key, status: 'out_for_delivery' });
        },
      });
      const c = await client('/ws/connect');
      await c.request('subscribe', { topics: ['package:TNS'] });
      const update = await c.next('package_update');
      expect(update.id).toBe(during);
      expect(c.frames.map((f) => f.type)).toEqual(['connected', 'subscribed', 'snapshot', 'package_update']);
      expect(c.frames[2]).toMatchObject({ topic: 'package:TNS', data: { status: 'out_for_delivery' } });
    });

    it('no snapshot frame when the provider knows no such thing', async () => {
      t.app.get(SnapshotRegistry).register('package:', { snapshot: () => Promise.resolve(undefined) });
      const c = await client('/ws/connect');
      await c.request('subscribe', { topics: ['package:NOPE'] });
      const live = await bus.publish('package:NOPE', 'package_update', packageUpdate());
      expect((await c.next('package_update')).id).toBe(live.id);
      expect(c.all('snapshot')).toHaveLength(0);
    });
  });
});
