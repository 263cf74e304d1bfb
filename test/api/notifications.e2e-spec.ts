import { NotificationsService } from '../../apps/gateway/src/notifications/notifications.service.js';
import { describeOnBackends } from '../support/backends.js';
import { rest } from '../support/http.js';
import { token } from '../support/tokens.js';
import { connected } from '../support/ws.js';

await describeOnBackends('notifications on %s', {}, (ctx) => {
  const call = rest(() => ctx.app());
  const asUser = (sub: string) => token({ sub, roles: ['viewer'] });
  const list = (sub: string | undefined, query = '') =>
    call('GET', `/notifications${query}`, sub ? asUser(sub) : undefined);

  it('publishes a broadcast on notifications to every user, with a generated id', async () => {
    const t = ctx.app();
    const alice = ctx.track(await connected(t.ws, '/ws/dashboard', { token: asUser('alice-b') }));
    const bob = ctx.track(await connected(t.ws, '/ws/dashboard', { token: asUser('bob-b') }));
    const sent = await t.app
      .get(NotificationsService)
      .notify({ level: 'warning', title: 'Hub closed', message: 'Memphis hub closed by storm' });
    expect(sent.notificationId).toMatch(/^[0-9a-f-]{36}$/);
    for (const c of [alice, bob]) {
      const frame = await c.next('notification');
      expect(frame).toMatchObject({
        topic: 'notifications',
        data: {
          notificationId: sent.notificationId,
          level: 'warning',
          title: 'Hub closed',
          message: 'Memphis hub closed by storm',
        },
      });
      expect(frame.data.userId).toBeUndefined();
    }
  });

  it('delivers a notification with userId to that user only', async () => {
    const t = ctx.app();
    const alice = ctx.track(await connected(t.ws, '/ws/dashboard', { token: asUser('alice-p') }));
    const bob = ctx.track(await connected(t.ws, '/ws/dashboard', { token: asUser('bob-p') }));
    const service = t.app.get(NotificationsService);
    const own = await service.notify({ level: 'info', title: 'Schedule done', message: 'ok', userId: 'alice-p' });
    const after = await service.notify({ level: 'critical', title: 'Broadcast', message: 'everyone' });
    expect((await alice.next('notification')).data).toMatchObject({
      notificationId: own.notificationId,
      userId: 'alice-p',
    });
    expect((await alice.next('notification')).data.notificationId).toBe(after.notificationId);
    // Bob's first notification is the later broadcast: alice's own never reached him.
    expect((await bob.next('notification')).data.notificationId).toBe(after.notificationId);
    expect(bob.all('notification')).toHaveLength(1);
  });

  it('GET /notifications lists broadcasts and the caller own ones, newest first', async () => {
    const t = ctx.app();
    const service = t.app.get(NotificationsService);
    const broadcast = await service.notify({ level: 'info', title: 'b1', message: 'm' });
    const forCarol = await service.notify({ level: 'info', title: 'c1', message: 'm', userId: 'carol' });
    const forDave = await service.notify({ level: 'info', title: 'd1', message: 'm', userId: 'dave' });
    const carol = await list('carol');
    expect(carol.status).toBe(200);
    const ids = carol.body.items.map((n: { notificationId: string }) => n.notificationId);
    expect(ids).toContain(broadcast.notificationId);
    expect(ids).toContain(forCarol.notificationId);
    expect(ids).not.toContain(forDave.notificationId);
    expect(ids.indexOf(forCarol.notificationId)).toBeLessThan(ids.indexOf(broadcast.notificationId));
    expect(
      carol.body.items.find((n: { notificationId: string }) => n.notificationId === forCarol.notificationId),
    ).toMatchObject({
      level: 'info',
      title: 'c1',
      message: 'm',
      userId: 'carol',
      createdAt: expect.any(String),
    });
  });

  it('pages with a cursor', async () => {
    const t = ctx.app();
    const service = t.app.get(NotificationsService);
    const mine: string[] = [];
    for (let i = 0; i < 3; i++)
      mine.push((await service.notify({ level: 'info', title: `p${i}`, message: 'm', userId: 'erin' })).notificationId);
    const first = await list('erin', '?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list('erin', `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    const seen = [...first.body.items, ...second.body.items].map((n: { notificationId: string }) => n.notificationId);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual([...mine].reverse());
  });

  it('answers 401 without a token and 400 for bad paging', async () => {
    expect((await list(undefined)).status).toBe(401);
    expect((await list('erin', '?limit=0')).status).toBe(400);
    expect((await list('erin', '?cursor=nope')).body.fields).toEqual([expect.objectContaining({ field: 'cursor' })]);
    expect((await list('erin', '?userId=bob')).status).toBe(400);
  });
});
