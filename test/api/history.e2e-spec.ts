import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { NotificationsService } from '../../apps/gateway/src/notifications/notifications.service.js';
import { describeOnBackends } from '../support/backends.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { ops, token, viewer } from '../support/tokens.js';
import { connected } from '../support/ws.js';

/**
 * GET /events, the history API (PROTOCOL.md section 5): pages of the stored topics' event log,
 * the same frames a WebSocket subscriber got, in publish order.
 */
const tn = trackingNumbers('HI');
const SCAN = { status: 'picked_up', location: 'Leipzig', latitude: 51.34, longitude: 12.37 };

await describeOnBackends('GET /events on %s', {}, (ctx) => {
  const call = rest(() => ctx.app());
  const history = (query: string, bearer: string | null = viewer()) =>
    call('GET', `/events?${query}`, bearer ?? undefined);

  it('pages the stored events after `since`, as WebSocket frames in publish order, with `next`', async () => {
    const start = ctx.app().app.get(EventBus).lastEventId() ?? '0-0';
    const live = await connected(ctx.app().ws, '/ws/packages', { token: viewer() });
    const pkg = tn();
    expect((await postPackage(call, ops(), packageBody(pkg))).status).toBe(201);
    expect((await postScan(call, pkg, ops(), SCAN)).status).toBe(201);
    await live.next(
      (f) => f.type === 'package_update' && f.data.trackingNumber === pkg && f.data.status === 'picked_up',
    );
    const frames = live.all((f) => f.type === 'package_update' && f.data.trackingNumber === pkg);
    await live.close();

    const topic = `package:${pkg}`;
    const all = await history(`topics=package_updates,${encodeURIComponent(topic)}&since=${start}`);
    expect(all.status).toBe(200);
    expect(all.body.next).toBeNull();
    const mine = (all.body.items as { topic: string; data: { trackingNumber: string; version: number } }[]).filter(
      (e) => e.data.trackingNumber === pkg,
    );
    expect(mine.map((e) => [e.topic, e.data.version])).toEqual([
      ['package_updates', 1],
      [topic, 1],
      ['package_updates', 2],
      [topic, 2],
    ]);
    // Exactly the frames the subscriber got: same ids, data, timestamps.
    const onUpdates = mine.filter((e) => e.topic === 'package_updates');
    expect(onUpdates).toEqual(
      frames.map(({ type, topic: t, id, data, timestamp }) => ({ type, topic: t, id, data, timestamp })),
    );

    // Paging: limit 1, then follow `next` until null; the pages join up exactly.
    const paged: unknown[] = [];
    let since = start;
    for (let i = 0; i < 10; i++) {
      const page = await history(`topics=${encodeURIComponent(topic)}&since=${since}&limit=1`);
      expect(page.status).toBe(200);
      paged.push(...page.body.items);
      if (page.body.next === null) break;
      since = page.body.next;
    }
    expect(paged).toEqual(mine.filter((e) => e.topic === topic));

    // `to` (inclusive) and `from` (a time).
    const firstId = (mine[1] as unknown as { id: string }).id;
    const upTo = await history(`topics=${encodeURIComponent(topic)}&since=${start}&to=${firstId}`);
    expect(upTo.body.items.map((e: { id: string }) => e.id)).toEqual([firstId]);
    const fromTime = new Date(Date.now() - 60_000).toISOString();
    const fromRes = await history(`topics=${encodeURIComponent(topic)}&from=${encodeURIComponent(fromTime)}`);
    expect(fromRes.body.items.map((e: { id: string }) => e.id)).toEqual(paged.map((e) => (e as { id: string }).id));
  });

  it("leaves out another user's notifications, as the WebSocket does", async () => {
    const start = ctx.app().app.get(EventBus).lastEventId() ?? '0-0';
    const notifications = ctx.app().app.get(NotificationsService);
    const mine = await notifications.notify({ level: 'info', title: 'for alice', message: 'm', userId: 'alice' });
    const all = await notifications.notify({ level: 'info', title: 'for everyone', message: 'm' });
    const ids = async (sub: string) =>
      (await history(`topics=notifications&since=${start}`, token({ sub, roles: ['viewer'] }))).body.items.map(
        (e: { data: { notificationId: string } }) => e.data.notificationId,
      );
    // Other modules may raise notifications meanwhile (anomalies of earlier tests): only these two count.
    const these = (list: string[]) => list.filter((id) => [mine.notificationId, all.notificationId].includes(id));
    expect(these(await ids('alice'))).toEqual([mine.notificationId, all.notificationId]);
    expect(these(await ids('bob'))).toEqual([all.notificationId]);
  });

  it('answers 400 naming the field for bad input and for topics that are not stored', async () => {
    const cases: [string, string][] = [
      ['since=1-0', 'topics'],
      ['topics=package_updates', 'since'],
      ['topics=package_updates&since=1-0&from=2026-01-01T00:00:00Z', 'since'],
      ['topics=package_updates&since=yesterday', 'since'],
      ['topics=package_updates&from=soon', 'from'],
      ['topics=package_updates&since=1-0&to=later', 'to'],
      ['topics=package_updates&since=1-0&limit=1001', 'limit'],
      ['topics=package_updates&since=1-0&limit=0', 'limit'],
      ['topics=map_updates&since=1-0', 'topics'],
      ['topics=package_updates,dashboard_metrics&since=1-0', 'topics'],
      [`topics=${Array.from({ length: 51 }, (_, i) => `package:T${i}`).join(',')}&since=1-0`, 'topics'],
    ];
    for (const [query, field] of cases) {
      const res = await history(query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });

  it('401 without a token; 404 for an unknown topic; 403 for a schedule of another user', async () => {
    expect((await history('topics=package_updates&since=1-0', null)).status).toBe(401);
    const unknown = await history('topics=nope&since=1-0');
    expect(unknown.status).toBe(404);
    expect(unknown.body.topics).toEqual(['nope']);
    expect((await history('topics=schedule:00000000-0000-4000-8000-000000000000&since=1-0')).status).toBe(404);

    const owner = token({ sub: 'hist-owner', roles: ['viewer'] });
    const created = await call('POST', '/schedules', owner, {
      name: 'history',
      depot: { latitude: 52.37, longitude: 4.9 },
      vehicles: 1,
      stops: [{ id: 's1', latitude: 52.4, longitude: 4.95 }],
    });
    expect(created.status).toBe(202);
    const topic = `schedule:${created.body.scheduleId}`;
    const other = await history(`topics=${topic}&since=1-0`, token({ sub: 'someone-else', roles: ['viewer'] }));
    expect(other.status).toBe(403);
    expect(other.body.topics).toEqual([topic]);
    expect((await history(`topics=${topic}&since=1-0`, owner)).status).toBe(200);
  });
});
