import { Subject } from 'rxjs';
import type { BusEvent, EventBus } from '../bus/event-bus.js';
import { EventInvalidatedCache } from './event-invalidated-cache.js';

function setup(maxAgeMs = 10_000) {
  const events = new Subject<BusEvent>();
  const cache = new EventInvalidatedCache<number>(new Set(['map_updates']), maxAgeMs);
  cache.attach({ events$: events.asObservable() } as unknown as EventBus);
  let loads = 0;
  const load = () => Promise.resolve(++loads);
  const event = (topic: string) => events.next({ topic } as BusEvent);
  return { cache, load, event, loads: () => loads };
}

describe('EventInvalidatedCache', () => {
  it('shares one load per key until an event of its topics', async () => {
    const { cache, load, event, loads } = setup();
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('b', load)).toBe(2);
    event('agent_activity');
    expect(await cache.get('a', load)).toBe(1);
    event('map_updates');
    expect(await cache.get('a', load)).toBe(3);
    expect(loads()).toBe(3);
  });

  it('expires results after maxAgeMs', async () => {
    const { cache, load } = setup(20);
    expect(await cache.get('a', load)).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(await cache.get('a', load)).toBe(2);
  });

  it('does not share a failed load', async () => {
    const { cache } = setup();
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(cache.get('a', () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('stops listening when detached', async () => {
    const { cache, load, event } = setup();
    expect(await cache.get('a', load)).toBe(1);
    cache.detach();
    expect(await cache.get('a', load)).toBe(2);
    event('map_updates');
    expect(await cache.get('a', load)).toBe(2);
  });
});
