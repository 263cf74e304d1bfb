import { describeOnBackends } from '../support/backends.js';
import { rest, type Json } from '../support/http.js';
import { admin, token, viewer } from '../support/tokens.js';
import { connected, type Frame, type TestClient } from '../support/ws.js';
import { waitFor } from '../support/wait.js';

const DEPOT = { latitude: 52.37, longitude: 4.9 };

/** Seeded stops around Amsterdam, so every run plans the same instance. */
function stops(n: number, seed = 1, extra: (i: number) => object = () => ({})) {
  let s = seed;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => ({
    id: `stop-${i}`,
    latitude: 52.2 + r() * 0.36,
    longitude: 4.6 + r() * 0.6,
    serviceMinutes: 2,
    ...extra(i),
  }));
}

const alice = () => token({ sub: 'alice', roles: ['viewer'] });
const bob = () => token({ sub: 'bob', roles: ['viewer', 'ops'] });

// One worker, so a long job holds the queue and the tests can subscribe before theirs starts.
await describeOnBackends('schedules on %s', { env: { SCHEDULER_WORKERS: '1' } }, (ctx) => {
  const call = rest(() => ctx.app());

  const submit = (body: object, bearer = alice()) => call('POST', '/schedules', bearer, body);
  const get = (id: string, bearer = alice()) => call('GET', `/schedules/${id}`, bearer);
  const cancel = (id: string, bearer = alice()) => call('POST', `/schedules/${id}/cancel`, bearer);

  async function until(id: string, done: (s: Json) => boolean, bearer = alice()) {
    for (let i = 0; i < 600; i++) {
      const { body } = await get(id, bearer);
      if (done(body)) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`schedule ${id} never reached the expected state`);
  }

  async function client(bearer: string) {
    return ctx.track(await connected(ctx.app().ws, '/ws/connect', { token: bearer }));
  }

  /** Holds the only worker with a long job while `during` runs, then cancels it. */
  async function whileBlocked<T>(during: () => Promise<T>): Promise<T> {
    const blocker = await submit({ name: 'blocker', depot: DEPOT, vehicles: 1, stops: stops(4000, 99) });
    expect(blocker.status).toBe(202);
    await until(blocker.body.scheduleId, (s) => s.status === 'running');
    try {
      return await during();
    } finally {
      const res = await cancel(blocker.body.scheduleId);
      expect(res.status).toBe(200);
    }
  }

  /** Frames of one schedule topic up to and including its final event. */
  async function collect(c: TestClient, topic: string): Promise<Frame[]> {
    const out: Frame[] = [];
    for (;;) {
      const f = await c.next((x) => x.topic === topic && x.type.startsWith('schedule_'), 20_000);
      out.push(f);
      if (f.type !== 'schedule_progress') return out;
    }
  }

  it('refuses a missing token (401) and invalid bodies (400 naming the fields)', async () => {
    expect((await call('POST', '/schedules', undefined, {})).status).toBe(401);
    const bad = await submit({
      name: '',
      depot: { latitude: 95, longitude: 4.9 },
      vehicles: 0,
      stops: [
        { id: 'a', latitude: 52, longitude: 4, windowStart: 60, windowEnd: 30 },
        { id: 'a', latitude: 52, longitude: 4, serviceMinutes: -1 },
      ],
      strategy: 'magic',
      extra: true,
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'name',
        'depot.latitude',
        'vehicles',
        'stops',
        'stops.0.windowEnd',
        'stops.1.serviceMinutes',
        'strategy',
        'extra',
      ]),
    );
    expect(JSON.stringify(bad.body)).toContain('repeated: a');
    const empty = await submit({ name: 'x', depot: DEPOT, vehicles: 1, stops: [] });
    expect(empty.status).toBe(400);
    const many = await submit({
      name: 'x',
      depot: DEPOT,
      vehicles: 1,
      stops: Array.from({ length: 5001 }, (_, i) => ({ id: `${i}`, latitude: 1, longitude: 1 })),
    });
    expect(many.status).toBe(400);
    expect(many.body.fields).toEqual([{ field: 'stops', errors: [expect.stringContaining('5000')] }]);
  });

  it('plans a schedule: owner-only topic, snapshot, progress never decreasing, completion with result', async () => {
    const input = stops(300, 7, (i) => (i % 10 === 0 ? { windowStart: 0, windowEnd: 600 } : {}));
    const { frames, scheduleId, snapshot } = await whileBlocked(async () => {
      const accepted = await submit({ name: 'Monday', depot: DEPOT, vehicles: 4, stops: input, strategy: 'compare' });
      expect(accepted.status).toBe(202);
      const id: string = accepted.body.scheduleId;
      expect(accepted.body).toEqual({ scheduleId: id, topic: `schedule:${id}`, status: 'queued' });

      const owner = await client(alice());
      expect((await owner.request('subscribe', { topics: [`schedule:${id}`] })).type).toBe('subscribed');
      const snap = await owner.next('snapshot');
      // The snapshot is exactly what GET returns (the job waits behind the blocker, so it is stable).
      expect(snap.data).toEqual((await get(id)).body);

      const other = await client(bob());
      const denied = await other.request('subscribe', { topics: [`schedule:${id}`] });
      expect(denied.data).toMatchObject({ code: 'FORBIDDEN', topics: [`schedule:${id}`] });

      const boss = await client(admin());
      expect((await boss.request('subscribe', { topics: [`schedule:${id}`] })).type).toBe('subscribed');
      expect((await boss.next('snapshot')).data.scheduleId).toBe(id);
      return { frames: collect(owner, `schedule:${id}`), scheduleId: id, snapshot: snap };
    });
    expect(snapshot.data).toMatchObject({ scheduleId, status: 'queued', progress: 0, ownerId: 'alice' });

    const events = await frames;
    const last = events[events.length - 1];
    expect(last.type).toBe('schedule_completed');
    const progress = events.map((f) => f.data.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(progress[progress.length - 1]).toBe(100);
    const steps = new Set(events.map((f) => f.data.step));
    for (const step of ['validating', 'planning', 'optimizing', 'saving']) expect(steps).toContain(step);
    for (const f of events) expect(f.data.scheduleId).toBe(scheduleId);

    const result = last.data.result;
    const served = result.routes.flatMap((r: Json) => r.stops.map((s: Json) => s.stopId));
    expect(served.sort()).toEqual(input.map((s) => s.id).sort());
    expect(result.routes.length).toBeLessThanOrEqual(4);
    expect(result.kpis).toMatchObject({ onTimeRate: 1, lateStops: 0 });
    expect(result.kpis.totalDistanceKm).toBeGreaterThan(0);

    const done = await get(scheduleId);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ scheduleId, status: 'completed', progress: 100, ownerId: 'alice' });
    expect(done.body.result).toEqual(result);

    // The owner was told, and only the owner. The notice is its own write, made after the
    // completion committed (and its event went out), so it may land a moment after that event.
    const ready = (items: Json[]) => items.some((n) => n.title === 'Schedule "Monday" is ready');
    await waitFor(async () => ready((await call('GET', '/notifications', alice())).body.items), 5_000, 'the notice');
    const mine = await call('GET', '/notifications', alice());
    expect(mine.body.items).toContainEqual(
      expect.objectContaining({ userId: 'alice', level: 'info', title: 'Schedule "Monday" is ready' }),
    );
    const theirs = await call('GET', '/notifications', bob());
    expect(theirs.body.items.some((n: Json) => n.title === 'Schedule "Monday" is ready')).toBe(false);

    // Same input, same plan.
    const again = await submit({ name: 'Monday again', depot: DEPOT, vehicles: 4, stops: input, strategy: 'compare' });
    const second = await until(again.body.scheduleId, (s) => s.status === 'completed');
    expect(second.result).toEqual(result);
  });

  it('documents the routes in the OpenAPI document, with the body schema', async () => {
    const t = ctx.app();
    const doc: Json = await (await fetch(`${t.http}/docs-json`)).json();
    const post = doc.paths['/schedules'].post;
    expect(post.requestBody.content['application/json'].schema).toMatchObject({
      required: ['name', 'depot', 'vehicles', 'stops'],
      properties: { stops: { maxItems: 5000 }, strategy: { enum: ['savings', 'sweep', 'compare'] } },
    });
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '429']));
    expect(doc.paths['/schedules/{scheduleId}/cancel'].post.responses).toHaveProperty('409');
    expect(doc.paths['/agents/{agentId}/heartbeat'].post).toBeDefined();
  });

  it('GET and cancel are for the owner and admins: anyone else gets 403, an unknown id 404', async () => {
    const { body } = await submit({ name: 'mine', depot: DEPOT, vehicles: 2, stops: stops(20, 3) });
    const id = body.scheduleId;
    expect((await get(id, bob())).status).toBe(403);
    expect((await cancel(id, bob())).status).toBe(403);
    expect((await get(id, viewer('vera'))).status).toBe(403);
    const asAdmin = await get(id, admin());
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.ownerId).toBe('alice');
    expect((await get('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const malformed = await get('not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields).toEqual([{ field: 'scheduleId', errors: ['scheduleId must be a UUID'] }]);
    expect((await call('GET', `/schedules/${id}`)).status).toBe(401);
    await until(id, (s) => s.status === 'completed');
  });

  it('fails with the solver code: INFEASIBLE windows end in schedule_failed', async () => {
    const input = stops(10, 5, (i) => (i === 4 ? { windowEnd: 0.01 } : {}));
    const { frames, id } = await whileBlocked(async () => {
      const accepted = await submit({ name: 'impossible', depot: DEPOT, vehicles: 2, stops: input });
      const owner = await client(alice());
      await owner.request('subscribe', {
        topics: [accepted.body.scheduleId && `schedule:${accepted.body.scheduleId}`],
      });
      return { frames: collect(owner, `schedule:${accepted.body.scheduleId}`), id: accepted.body.scheduleId };
    });
    const events = await frames;
    const last = events[events.length - 1];
    expect(last.type).toBe('schedule_failed');
    expect(last.data.error).toMatchObject({ code: 'INFEASIBLE', details: { count: 1 } });
    expect(last.data.error.details.stops[0].stopId).toBe('stop-4');
    const progress = events.map((f) => f.data.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    const view = await get(id);
    expect(view.body).toMatchObject({ status: 'failed', error: { code: 'INFEASIBLE' } });
  });

  it('cancels a running schedule (schedule_failed CANCELLED) and answers 409 once finished', async () => {
    const { body } = await submit({ name: 'long', depot: DEPOT, vehicles: 1, stops: stops(4000, 11) });
    const id = body.scheduleId;
    const owner = await client(alice());
    await owner.request('subscribe', { topics: [`schedule:${id}`] });
    await until(id, (s) => s.status === 'running');
    const frames = collect(owner, `schedule:${id}`);
    const res = await cancel(id, admin());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scheduleId: id, status: 'cancelled', error: { code: 'CANCELLED' } });
    const events = await frames;
    expect(events[events.length - 1]).toMatchObject({
      type: 'schedule_failed',
      data: { error: { code: 'CANCELLED' } },
    });
    const again = await cancel(id);
    expect(again.status).toBe(409);
    expect(again.body.status).toBe('cancelled');
    // The pool is free again: a new job completes.
    const next = await submit({ name: 'after', depot: DEPOT, vehicles: 1, stops: stops(5, 12) });
    await until(next.body.scheduleId, (s) => s.status === 'completed');
    expect((await cancel(next.body.scheduleId)).status).toBe(409);
  });

  it('limits how many schedules one user may have queued or running (429)', async () => {
    const carol = () => token({ sub: 'carol', roles: ['viewer'] });
    const small = { name: 'many', depot: DEPOT, vehicles: 1, stops: stops(3, 17) };
    const ids = await whileBlocked(async () => {
      const accepted: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await submit(small, carol());
        expect(res.status).toBe(202);
        accepted.push(res.body.scheduleId);
      }
      const refused = await submit(small, carol());
      expect(refused.status).toBe(429);
      expect(refused.body.message).toMatch(/At most 20/);
      // Other users are not affected.
      expect((await submit(small, bob())).status).toBe(202);
      return accepted;
    });
    await until(ids[19], (s) => s.status === 'completed', carol());
    expect((await submit(small, carol())).status).toBe(202);
  });

  it('cancels a queued schedule before it ever runs', async () => {
    const queued = await whileBlocked(async () => {
      const { body } = await submit({ name: 'waiting', depot: DEPOT, vehicles: 1, stops: stops(5, 13) });
      const res = await cancel(body.scheduleId);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cancelled', progress: 0 });
      return body.scheduleId as string;
    });
    const view = await get(queued);
    expect(view.body).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(view.body.startedAt).toBeUndefined();
  });
});
