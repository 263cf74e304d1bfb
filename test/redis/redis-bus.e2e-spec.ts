import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { BusEvent } from '../../apps/gateway/src/bus/event-bus.js';
import { compareEventIds } from '../../apps/gateway/src/bus/event-id.js';
import { BusUnavailableError } from '../../apps/gateway/src/bus/redis/bus-unavailable.error.js';
import { RedisEventBus, streamKey } from '../../apps/gateway/src/bus/redis/redis-event-bus.js';
import type { AppConfig } from '../../apps/gateway/src/config/app-config.js';
import { loadConfig } from '../../apps/gateway/src/config/load-config.js';
import { HealthService } from '../../apps/gateway/src/health/health.service.js';
import { TEST_SECRET } from '../support/app.js';
import { REDIS_URL, TestRedisServer, cleanupPrefix, describeWithRedis, uniquePrefix } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { dashboardMetrics, notification } from '../support/ws.js';

const describeRedis = await describeWithRedis('Redis event bus');
const describeRedisServer = await describeWithRedis('Redis event bus outages', true);
// The outage tests provoke warnings on purpose.
Logger.overrideLogger(false);

const note = (n: number) => notification({ notificationId: `n${n}`, title: `t${n}`, message: `m${n}` });
const metrics = (n: number) => dashboardMetrics({ totalPackages: n });

function config(prefix: string, url = REDIS_URL, history?: AppConfig['history']): AppConfig {
  const base = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_SECRET, REDIS_URL: url, REDIS_PREFIX: prefix });
  return history ? { ...base, history } : base;
}

/** Collects everything a bus emits, for order and duplicate checks. */
function record(bus: RedisEventBus): BusEvent[] {
  const seen: BusEvent[] = [];
  bus.events$.subscribe((e) => seen.push(e));
  return seen;
}

/** What a REST client does on 503: try again. */
async function publishRetrying(bus: RedisEventBus, n: number): Promise<BusEvent> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await bus.publish('notifications', 'notification', note(n));
    } catch (err) {
      if (!(err instanceof BusUnavailableError) || attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function expectStrictlyIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) expect(compareEventIds(ids[i - 1], ids[i])).toBeLessThan(0);
}

describeRedis('RedisEventBus against the local Redis', () => {
  const buses: RedisEventBus[] = [];
  let prefix: string;

  async function bus(cfg: AppConfig, health?: HealthService, options = {}): Promise<RedisEventBus> {
    const b = new RedisEventBus(cfg, health, { blockMs: 500, ...options });
    buses.push(b);
    await b.onModuleInit();
    return b;
  }

  beforeEach(() => {
    prefix = uniquePrefix('bus');
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.onApplicationShutdown()));
    await cleanupPrefix(prefix);
  });

  it('stamps stream ids, emits its own publishes once, in publish order', async () => {
    const b = await bus(config(prefix));
    const seen = record(b);
    const published: BusEvent[] = [];
    for (let i = 0; i < 5; i++) published.push(await b.publish('notifications', 'notification', note(i)));
    for (const e of published) {
      expect(e.id).toMatch(/^\d+-\d+$/);
      expect(e.topic).toBe('notifications');
      expect(new Date(e.timestamp).toISOString()).toBe(e.timestamp);
    }
    await waitFor(() => seen.length >= 5, 5_000, 'own events');
    expect(seen.map((e) => e.id)).toEqual(published.map((e) => e.id));
    expect(seen.map((e) => (e.type === 'notification' ? e.data.notificationId : e.type))).toEqual([
      'n0',
      'n1',
      'n2',
      'n3',
      'n4',
    ]);
    expectStrictlyIncreasing(seen.map((e) => e.id));
    expect(b.lastEventId()).toBe(published[4].id);
    expect(b.health()).toBe('ok');
  });

  it('gives two instances the same global order under concurrent publishers', async () => {
    const a = await bus(config(prefix));
    const b = await bus(config(prefix));
    const seenA = record(a);
    const seenB = record(b);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).publish('notifications', 'notification', note(i))),
    );
    await waitFor(() => seenA.length >= 100 && seenB.length >= 100, 5_000, 'both instances');
    const idsA = seenA.map((e) => e.id);
    expect(idsA).toEqual(seenB.map((e) => e.id));
    expectStrictlyIncreasing(idsA);
    expect(new Set(idsA)).toEqual(new Set(results.map((e) => e.id)));
    expect(seenA).toHaveLength(100);
  });

  it('replays a topic after an id, served from memory and from the stream alike', async () => {
    const a = await bus(config(prefix));
    const ev: BusEvent[] = [];
    for (let i = 0; i < 7; i++) {
      ev.push(
        await (i % 2
          ? a.publish('dashboard_metrics', 'dashboard_metrics', metrics(i))
          : a.publish('notifications', 'notification', note(i))),
      );
    }
    await waitFor(() => a.lastEventId() === ev[6].id, 5_000, 'delivery');
    // Started after the events: its memory is empty, so it pages through Redis (2 per page).
    const late = await bus(config(prefix), undefined, { replayPage: 2 });
    for (const b of [a, late]) {
      const r = await b.replay(['notifications'], ev[0].id);
      expect(r.recovered).toBe(true);
      expect(r.events.map((e) => e.id)).toEqual([ev[2].id, ev[4].id, ev[6].id]);
      expect(r.events[0]).toEqual(ev[2]);
      const both = await b.replay(['notifications', 'dashboard_metrics'], ev[3].id);
      expect(both.events.map((e) => e.id)).toEqual([ev[4].id, ev[5].id, ev[6].id]);
      expect(await b.replay(['notifications'], ev[6].id)).toEqual({ recovered: true, events: [] });
    }
  });

  it('answers recovered:false for malformed, unknown and future ids', async () => {
    const a = await bus(config(prefix));
    const e1 = await a.publish('notifications', 'notification', note(1));
    const [ms, seq] = e1.id.split('-').map(Number);
    for (const since of ['nonsense', '', '12', `${ms - 1}-0`, `${ms}-${seq + 1}`, `${ms + 60_000}-0`]) {
      expect(await a.replay(['notifications'], since)).toEqual({ recovered: false, events: [] });
    }
  });

  it('keeps at least maxEvents or maxAge, whichever holds more, and reports what was trimmed', async () => {
    const cfg = config(prefix, REDIS_URL, { maxEvents: 5, maxAgeMs: 300 });
    const a = await bus(cfg);
    const raw = new Redis(REDIS_URL);
    try {
      const old: BusEvent[] = [];
      for (let i = 0; i < 12; i++) old.push(await a.publish('notifications', 'notification', note(i)));
      // All younger than maxAge: nothing goes even though there are more than maxEvents.
      expect(await raw.xlen(streamKey(prefix))).toBe(12);
      await new Promise((r) => setTimeout(r, 350));
      const fresh = await a.publish('notifications', 'notification', note(99));
      // Now the old ones are past maxAge: only the newest 5 stay.
      expect(await raw.xlen(streamKey(prefix))).toBe(5);
      const kept = (await raw.xrange(streamKey(prefix), '-', '+')).map(([id]) => id);
      expect(kept).toEqual([...old.slice(8).map((e) => e.id), fresh.id]);

      const late = await bus(cfg);
      expect(await late.replay(['notifications'], old[2].id)).toEqual({ recovered: false, events: [] });
      const r = await late.replay(['notifications'], old[8].id);
      expect(r.recovered).toBe(true);
      expect(r.events.map((e) => e.id)).toEqual([old[9].id, old[10].id, old[11].id, fresh.id]);
    } finally {
      raw.disconnect();
    }
  });

  it('keeps maxEvents even when all of them are past maxAge', async () => {
    const a = await bus(config(prefix, REDIS_URL, { maxEvents: 5, maxAgeMs: 100 }));
    const raw = new Redis(REDIS_URL);
    try {
      for (let i = 0; i < 3; i++) await a.publish('notifications', 'notification', note(i));
      await new Promise((r) => setTimeout(r, 150));
      await a.publish('notifications', 'notification', note(3));
      expect(await raw.xlen(streamKey(prefix))).toBe(4);
    } finally {
      raw.disconnect();
    }
  });
});

describeRedisServer('RedisEventBus through Redis outages (private redis-server)', () => {
  let server: TestRedisServer;
  const buses: RedisEventBus[] = [];
  const prefix = 'tracklight-test:outage:';

  async function bus(health?: HealthService): Promise<RedisEventBus> {
    const b = new RedisEventBus(config(prefix, server.url), health, { blockMs: 500 });
    buses.push(b);
    await b.onModuleInit();
    return b;
  }

  beforeEach(async () => {
    server = await TestRedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.onApplicationShutdown()));
    await server.destroy();
  });

  it('degrades, refuses writes with 503, and resumes after a restart without duplicates', async () => {
    const health = new HealthService();
    const reader = await bus(health);
    const writer = await bus();
    const seen = record(reader);
    const before = await Promise.all([0, 1, 2].map((i) => writer.publish('notifications', 'notification', note(i))));
    await waitFor(() => seen.length === 3, 5_000, 'events before the outage');

    await server.stop({ save: true });
    await waitFor(() => reader.health() === 'degraded', 5_000, 'degraded health');
    expect(await health.failing()).toEqual(['redis']);
    const refused = writer.publish('notifications', 'notification', note(3));
    await expect(refused).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(refused).rejects.toMatchObject({ status: 503 });
    // Resume still works from what this instance already delivered.
    const fromMemory = await reader.replay(['notifications'], before[0].id);
    expect(fromMemory.events.map((e) => e.id)).toEqual([before[1].id, before[2].id]);

    await server.start();
    await waitFor(() => reader.health() === 'ok' && writer.health() === 'ok', 10_000, 'reconnect');
    expect(await health.failing()).toEqual([]);
    const after = await Promise.all([4, 5].map((i) => writer.publish('notifications', 'notification', note(i))));
    await waitFor(() => seen.length >= 5, 5_000, 'events after the outage');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.map((e) => e.id)).toEqual([...before, ...after].map((e) => e.id));
  });

  it('delivers what was published while its reader was cut off, exactly once', async () => {
    const reader = await bus();
    const writer = await bus();
    const seen = record(reader);
    const first = await writer.publish('notifications', 'notification', note(0));
    await waitFor(() => seen.length === 1, 5_000, 'first event');
    const admin = new Redis(server.url);
    try {
      // Drop every client connection; ioredis reconnects on its own.
      // Drop every client connection; ioredis reconnects on its own. A publish racing the drop
      // may be refused (503); the property is that the reader delivers the stream exactly once.
      for (let round = 0; round < 3; round++) {
        await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
        for (let i = 0; i < 10; i++) await publishRetrying(writer, round * 10 + i);
      }
      const all = (await admin.xrange(streamKey(prefix), '-', '+')).map(([id]) => id);
      expect(all.length).toBeGreaterThanOrEqual(31);
      expect(all[0]).toBe(first.id);
      await waitFor(() => seen.length >= all.length, 5_000, 'all events');
      await new Promise((r) => setTimeout(r, 100));
      expect(seen.map((e) => e.id)).toEqual(all);
    } finally {
      admin.disconnect();
    }
  });

  it('notices entries trimmed while its reader was cut off and does not bridge them from memory', async () => {
    const reader = await bus();
    const seen = record(reader);
    const gaps: string[] = [];
    reader.gaps$.subscribe((id) => gaps.push(id));
    const first = await reader.publish('notifications', 'notification', note(0));
    await waitFor(() => seen.length === 1, 5_000, 'first event');
    const admin = new Redis(server.url);
    try {
      const list = (await admin.client('LIST')) as string;
      const ids = list
        .split('\n')
        .filter((line) => line.includes('name=tracklight-bus-reader'))
        .map((line) => /id=(\d+)/.exec(line)![1]);
      expect(ids).toHaveLength(1);
      // One write: Redis runs all of it before the killed reader can even reconnect.
      const key = streamKey(prefix);
      const fields = (n: number) => ['t', 'notifications', 'y', 'notification', 'd', JSON.stringify(note(n))];
      const tx = admin.pipeline().client('KILL', 'ID', ids[0]);
      for (let n = 1; n <= 10; n++) tx.xadd(key, '*', ...fields(n));
      tx.xtrim(key, 'MAXLEN', 2);
      await tx.exec();
      const kept = (await admin.xrange(key, '-', '+')).map(([id]) => id);
      expect(kept).toHaveLength(2);

      await waitFor(() => seen.length === 3, 10_000, 'the surviving entries');
      expect(seen.map((e) => e.id)).toEqual([first.id, ...kept]);
      expect(gaps).toHaveLength(1);
      expect(compareEventIds(gaps[0], first.id)).toBeGreaterThan(0);
      // Memory holds `first` and the survivors, but not what lies between: no resume across it.
      expect(await reader.replay(['notifications'], first.id)).toEqual({ recovered: false, events: [] });
      expect((await reader.replay(['notifications'], kept[0])).events.map((e) => e.id)).toEqual([kept[1]]);
    } finally {
      admin.disconnect();
    }
  });

  it('after Redis lost its data, old ids are not recovered and new events still flow', async () => {
    const a = await bus();
    const seen = record(a);
    const old = await a.publish('notifications', 'notification', note(0));
    await waitFor(() => seen.length === 1, 5_000, 'first event');
    await server.stop();
    await server.start();
    await waitFor(() => a.health() === 'ok', 10_000, 'reconnect');
    const fresh = await a.publish('notifications', 'notification', note(1));
    expect(compareEventIds(fresh.id, old.id)).toBeGreaterThan(0);
    await waitFor(() => seen.length === 2, 5_000, 'event after the restart');
    // Memory still knows `old`, and the stream continues after it: a resume gets the new event.
    expect((await a.replay(['notifications'], old.id)).events.map((e) => e.id)).toEqual([fresh.id]);
    const b = await bus();
    expect(await b.replay(['notifications'], old.id)).toEqual({ recovered: false, events: [] });
  });
});
