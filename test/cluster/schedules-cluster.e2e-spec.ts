import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ScheduleRunner } from '../../apps/gateway/src/schedules/schedule-runner.js';
import { startApp, type TestApp } from '../support/app.js';
import { callApp } from '../support/http.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { describeWithRedis, REDIS_URL } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { token } from '../support/tokens.js';
import { connected, type TestClient } from '../support/ws.js';

const describeRedis = await describeWithRedis('schedules across two instances');
const alice = () => token({ sub: 'alice', roles: ['viewer'] });

describeRedis('schedules across two instances (Redis bus, one PostgreSQL)', () => {
  const prefix = `tracklight-test:schedules:${randomUUID().slice(0, 8)}:`;
  let db: TestDatabase | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  let watcher: TestClient | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('schedules across two instances');
    if (!db) return;
    const env = { REDIS_URL, REDIS_PREFIX: prefix, DATABASE_URL: db.url, SCHEDULER_WORKERS: '1' };
    a = await startApp({ ...env, INSTANCE_ID: 'sched-a' });
    b = await startApp({ ...env, INSTANCE_ID: 'sched-b' });
  });
  afterAll(async () => {
    await watcher?.close();
    await a?.close();
    await b?.close();
    await db?.drop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a cancel accepted by one instance stops the worker on the instance running the job', async () => {
    if (!a || !b) return;
    let s = 3;
    const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const stops = Array.from({ length: 5000 }, (_, i) => ({
      id: `s${i}`,
      latitude: 52.2 + r() * 0.36,
      longitude: 4.6 + r() * 0.6,
    }));
    const res = await callApp(a, 'POST', '/schedules', alice(), {
      name: 'long',
      depot: { latitude: 52.37, longitude: 4.9 },
      vehicles: 1,
      stops,
    });
    const { scheduleId, topic } = res.body as { scheduleId: string; topic: string };
    const runner = a.app.get(ScheduleRunner);

    // Instance B serves the topic and the routes from the shared database and bus.
    watcher = await connected(b.ws, '/ws/connect', { token: alice() });
    expect((await watcher.request('subscribe', { topics: [topic] })).type).toBe('subscribed');
    await watcher.next((f) => f.type === 'schedule_progress' && f.data.step === 'planning', 20_000);
    expect(runner.live(scheduleId)).toBeDefined();

    const cancelled = await callApp(b, 'POST', `/schedules/${scheduleId}/cancel`, alice());
    expect(cancelled.status).toBe(200);
    const end = await watcher.next((f) => f.type === 'schedule_failed' || f.type === 'schedule_completed');
    expect(end).toMatchObject({ type: 'schedule_failed', data: { error: { code: 'CANCELLED' } } });
    // Instance A heard it on the bus and dropped the job: its worker is free for the next one.
    await waitFor(() => runner.live(scheduleId) === undefined, 5_000, 'instance A to drop the cancelled job');
    const next = await callApp(a, 'POST', '/schedules', alice(), {
      name: 'next',
      depot: { latitude: 52.37, longitude: 4.9 },
      vehicles: 1,
      stops: stops.slice(0, 5),
    });
    const { topic: nextTopic } = next.body as { topic: string };
    await watcher.request('subscribe', { topics: [nextTopic] });
    const done = await watcher.next((f) => f.topic === nextTopic && f.type === 'schedule_completed', 20_000);
    expect(done.data.result.routes[0].stops).toHaveLength(5);
    expect(watcher.all((f) => f.topic === topic && f.type === 'schedule_completed')).toEqual([]);
  });
});
