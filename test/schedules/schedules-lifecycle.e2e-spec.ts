import { DataSource } from 'typeorm';
import type { TestApp } from '../support/app.js';
import { describeOnBackends } from '../support/backends.js';
import { callApp } from '../support/http.js';
import { token } from '../support/tokens.js';
import { connected } from '../support/ws.js';

const DEPOT = { latitude: 52.37, longitude: 4.9 };
const alice = () => token({ sub: 'alice', roles: ['viewer'] });

function stops(n: number, seed = 1) {
  let s = seed;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    latitude: 52.2 + r() * 0.36,
    longitude: 4.6 + r() * 0.6,
  }));
}

const call = (t: TestApp, method: string, path: string, body?: unknown) => callApp(t, method, path, alice(), body);

async function until(t: TestApp, id: string, done: (s: { status: string }) => boolean) {
  for (let i = 0; i < 600; i++) {
    const { body } = await call(t, 'GET', `/schedules/${id}`);
    if (done(body)) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`schedule ${id} never reached the expected state`);
}

// One DATA_DIR for every app: a restart must find the schedules the last one left.
const SUITE = { start: false, sharedDataDir: true, env: { SCHEDULER_WORKERS: '1' } };

await describeOnBackends('schedule lifecycle on %s', SUITE, (ctx) => {
  it('fails a job that runs past SCHEDULE_TIMEOUT_MS with TIMEOUT, then serves the next one', async () => {
    const t = await ctx.start({ SCHEDULE_TIMEOUT_MS: '300' });
    try {
      const { body } = await call(t, 'POST', '/schedules', {
        name: 'slow',
        depot: DEPOT,
        vehicles: 1,
        stops: stops(4000),
      });
      const owner = await connected(t.ws, '/ws/connect', { token: alice() });
      await owner.request('subscribe', { topics: [body.topic] });
      const failed = await owner.next((f) => f.type === 'schedule_failed', 15_000);
      expect(failed.data.error).toEqual({ code: 'TIMEOUT', details: { timeoutMs: 300 } });
      await owner.close();
      const view = await until(t, body.scheduleId, (s) => s.status === 'failed');
      expect(view).toMatchObject({ error: { code: 'TIMEOUT' } });
      const next = await call(t, 'POST', '/schedules', { name: 'quick', depot: DEPOT, vehicles: 1, stops: stops(5) });
      await until(t, next.body.scheduleId, (s) => s.status === 'completed');
      const notes = await call(t, 'GET', '/notifications');
      expect(notes.body.items).toContainEqual(
        expect.objectContaining({ userId: 'alice', level: 'warning', title: 'Schedule "slow" failed (TIMEOUT)' }),
      );
    } finally {
      await t.close();
    }
  });

  it('fails schedules still queued or running at shutdown, and leftovers of a crash at the next start', async () => {
    const first = await ctx.start();
    const running = await call(first, 'POST', '/schedules', {
      name: 'r',
      depot: DEPOT,
      vehicles: 1,
      stops: stops(4000),
    });
    const queued = await call(first, 'POST', '/schedules', { name: 'q', depot: DEPOT, vehicles: 1, stops: stops(5) });
    await until(first, running.body.scheduleId, (s) => s.status === 'running');
    await first.close();

    const second = await ctx.start();
    for (const id of [running.body.scheduleId, queued.body.scheduleId]) {
      const { body } = await call(second, 'GET', `/schedules/${id}`);
      expect(body).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    }
    // A crash leaves a row running that nobody will finish: the next start fails it.
    const orphan = '11111111-1111-4111-8111-111111111111';
    await second.app.get(DataSource).query(
      `INSERT INTO schedules (id, owner_id, name, strategy, status, step, progress, vehicles, stop_count, instance_id, created_at_ms, updated_at_ms)
       VALUES ('${orphan}', 'alice', 'orphan', 'sweep', 'running', 'planning', 30, 1, 3, 'crashed', 1, 1)`,
    );
    await second.close();
    const third = await ctx.start();
    const { body } = await call(third, 'GET', `/schedules/${orphan}`);
    expect(body).toMatchObject({ status: 'failed', progress: 30, error: { code: 'INTERRUPTED' } });
    await third.close();
  });
});
