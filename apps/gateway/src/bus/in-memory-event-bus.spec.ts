import { firstValueFrom, take, toArray } from 'rxjs';
import type { AppConfig } from '../config/app-config.js';
import { typedEvent, type BusEvent, type EventBus } from './event-bus.js';
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
    const event = typedEvent(await bus.publish('notifications', 'notification', note(2)));
    // The union narrows on type: no cast needed to read the payload.
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
});
