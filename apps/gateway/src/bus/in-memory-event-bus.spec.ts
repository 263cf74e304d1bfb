import { firstValueFrom, take, toArray } from 'rxjs';
import type { AppConfig } from '../config/app-config.js';
import type { BusEvent, EventBus } from './event-bus.js';
import { compareEventIds } from './event-id.js';
import { InMemoryEventBus } from './in-memory-event-bus.js';

const config = (maxEvents = 10_000, maxAgeMs = 600_000) => ({ history: { maxEvents, maxAgeMs } }) as AppConfig;
const note = (n: number) => ({ notificationId: `n${n}`, level: 'info' as const, title: 't', message: 'm' });

describe('InMemoryEventBus', () => {
  it('publish is typed by the topic: a type the family does not declare, or a wrong payload, does not compile', async () => {
    const bus: EventBus = new InMemoryEventBus(config());
    // Compile-time checks (npm run typecheck fails if any of these lines compiles cleanly).
    const wrong = (b: EventBus) => [
      // @ts-expect-error anomalies do not carry notification
      b.publish('anomalies', 'notification', note(1)),
      // @ts-expect-error the payload of notification is not a package_update
      b.publish('package:TN1', 'package_update', note(1)),
      // @ts-expect-error no such topic family
      b.publish('nope', 'notification', note(1)),
    ];
    expect(typeof wrong).toBe('function');
    const emitted = firstValueFrom(bus.events$);
    // publish answers with the single-type shape: its data is the notification, no narrowing.
    expect((await bus.publish('notifications', 'notification', note(2))).data.notificationId).toBe('n2');
    // events$ carries the union: checking type narrows data, no cast needed.
    const event: BusEvent = await emitted;
    expect(event.type === 'notification' ? event.data.notificationId : undefined).toBe('n2');
  });

  it('stamps ids and timestamps and emits in publish order', async () => {
    const bus = new InMemoryEventBus(config());
    const seen = firstValueFrom(bus.events$.pipe(take(50), toArray()));
    const published: BusEvent[] = [];
    for (let i = 0; i < 50; i++) published.push(await bus.publish('notifications', 'notification', note(i)));
    const received = await seen;
    expect(received.map((e) => e.id)).toEqual(published.map((e) => e.id));
    for (let i = 1; i < published.length; i++) {
      expect(compareEventIds(published[i - 1].id, published[i].id)).toBeLessThan(0);
    }
    expect(new Date(published[0].timestamp).toISOString()).toBe(published[0].timestamp);
    expect(bus.lastEventId()).toBe(published[49].id);
    expect(bus.health()).toBe('ok');
  });

  it('replays the requested topics after an id', async () => {
    const bus = new InMemoryEventBus(config());
    const a = await bus.publish('notifications', 'notification', note(1));
    await bus.publish('package:X', 'package_update', {} as never);
    const c = await bus.publish('notifications', 'notification', note(3));
    expect(await bus.replay(['notifications'], a.id)).toEqual({ recovered: true, events: [c] });
    expect((await bus.replay(['notifications', 'package:X'], a.id)).events).toHaveLength(2);
  });

  it('recovered is false once the id fell out of retention', async () => {
    const bus = new InMemoryEventBus(config(2, 0));
    const first = await bus.publish('notifications', 'notification', note(1));
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 3; i++) await bus.publish('notifications', 'notification', note(i));
    expect(await bus.replay(['notifications'], first.id)).toEqual({ recovered: false, events: [] });
    expect(bus.lastEventId()).toBeDefined();
  });

  describe('publishLogged (the event log relay)', () => {
    const rows = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        key: `k${from + i}`,
        topic: 'notifications',
        type: 'notification' as const,
        data: JSON.stringify(note(from + i)),
      }));

    it('persists the ids before anyone sees the events; events published meanwhile follow, in id order', async () => {
      const bus = new InMemoryEventBus(config());
      const seen: BusEvent[] = [];
      bus.events$.subscribe((e) => seen.push(e));
      let persisted: readonly string[] = [];
      let release!: () => void;
      const done = bus.publishLogged(rows(0, 3), (ids) => {
        persisted = ids;
        expect(seen).toEqual([]);
        return new Promise<void>((r) => (release = r));
      });
      const meanwhile = await bus.publish('notifications', 'notification', note(9));
      expect(seen).toEqual([]);
      release();
      const events = await done;
      expect(events.map((e) => e.id)).toEqual(persisted);
      expect(seen.map((e) => e.id)).toEqual([...persisted, meanwhile.id]);
      expect(seen.map((e) => (e.type === 'notification' ? e.data.notificationId : e.type))).toEqual([
        'n0',
        'n1',
        'n2',
        'n9',
      ]);
      for (let i = 1; i < seen.length; i++) expect(compareEventIds(seen[i - 1].id, seen[i].id)).toBeLessThan(0);
    });

    it('emits nothing of a batch whose ids could not be persisted (it is relayed again later)', async () => {
      const bus = new InMemoryEventBus(config());
      const seen: BusEvent[] = [];
      bus.events$.subscribe((e) => seen.push(e));
      await expect(bus.publishLogged(rows(0, 2), () => Promise.reject(new Error('disk full')))).rejects.toThrow(
        'disk full',
      );
      expect(seen).toEqual([]);
      const again = await bus.publishLogged(rows(0, 2), () => Promise.resolve());
      expect(seen.map((e) => e.id)).toEqual(again.map((e) => e.id));
    });

    it('continues after the newest id the log holds (resumeAfter)', async () => {
      const bus = new InMemoryEventBus(config());
      const future = `${Date.now() + 60_000}-7`;
      bus.resumeAfter(future);
      const e = await bus.publish('notifications', 'notification', note(1));
      expect(compareEventIds(future, e.id)).toBeLessThan(0);
    });
  });
});
