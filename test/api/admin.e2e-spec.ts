import { startApp, type TestApp } from '../support/app.js';
import { admin, ops, viewer } from '../support/tokens.js';
import { connected } from '../support/ws.js';

describe('admin REST: /ws/status and /ws/connections', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (path: string, bearer?: string): Promise<Response> =>
    fetch(`${t.http}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  // Response bodies are asserted field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

  it.each(['/ws/status', '/ws/connections'])('%s: 401 without a token, 403 without the admin role', async (path) => {
    const none = await get(path);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/application\/json/);
    expect(await none.json()).toMatchObject({ statusCode: 401 });
    const wrong = await get(path, ops());
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ statusCode: 403 });
  });

  it('DELETE is admin only too', async () => {
    const res = await fetch(`${t.http}/ws/connections/x`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${viewer()}` },
    });
    expect(res.status).toBe(403);
  });

  it('GET /ws/status counts connections by endpoint, topics and messages', async () => {
    const a = await connected(t.ws, '/ws/packages', { token: viewer('s1') });
    const b = await connected(t.ws, '/ws/map', { token: viewer('s2') });
    await a.request('ping');
    const res = await get('/ws/status', admin());
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      instanceId: t.config.instanceId,
      connections: { total: 2, byEndpoint: { '/ws/packages': 1, '/ws/map': 1 } },
      topics: { package_updates: 2, map_updates: 1 },
    });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(body.messages.in).toBeGreaterThanOrEqual(1);
    expect(body.messages.out).toBeGreaterThanOrEqual(3);
    expect(body.messages.dropped).toBe(0);
    expect(body.cluster).toEqual({
      instances: [
        {
          instanceId: t.config.instanceId,
          startedAt: expect.any(String),
          updatedAt: expect.any(String),
          connections: { total: 2, byEndpoint: { '/ws/packages': 1, '/ws/map': 1 } },
          self: true,
        },
      ],
      connections: 2,
    });
    await Promise.all([a.close(), b.close()]);
  });

  it('GET /ws/connections lists, filters and pages', async () => {
    const a = await connected(t.ws, '/ws/packages', { token: viewer('lister-a') });
    const b = await connected(t.ws, '/ws/dashboard', { token: viewer('lister-b') });
    const c = await connected(t.ws, '/ws/packages', { token: viewer('lister-a') });
    await c.request('subscribe', { topics: ['anomalies'] });

    const all = await json(get('/ws/connections', admin()));
    expect(all.total).toBe(3);
    const first = all.items[0];
    expect(first).toEqual({
      connectionId: a.frames[0].data.connectionId,
      userId: 'lister-a',
      endpoint: '/ws/packages',
      topics: ['package_updates'],
      connectedAt: expect.any(String),
      lastActivityAt: expect.any(String),
      messagesIn: 0,
      messagesOut: 1,
      bufferedBytes: 0,
      remoteAddress: '127.0.0.1',
    });

    const byUser = await json(get('/ws/connections?userId=lister-a', admin()));
    expect(byUser.items.map((i: { connectionId: string }) => i.connectionId)).toEqual([
      a.frames[0].data.connectionId,
      c.frames[0].data.connectionId,
    ]);
    const byEndpoint = await json(get('/ws/connections?endpoint=/ws/dashboard', admin()));
    expect(byEndpoint).toMatchObject({ total: 1, items: [{ userId: 'lister-b' }] });
    const byTopic = await json(get('/ws/connections?topic=anomalies', admin()));
    expect(byTopic).toMatchObject({ total: 1, items: [{ connectionId: c.frames[0].data.connectionId }] });
    expect(byTopic.items[0].topics.sort()).toEqual(['anomalies', 'package_updates']);
    expect(byTopic.items[0].messagesIn).toBe(1);

    const paged = await json(get('/ws/connections?limit=1&offset=1', admin()));
    expect(paged.total).toBe(3);
    expect(paged.items).toHaveLength(1);
    expect(paged.items[0].connectionId).toBe(b.frames[0].data.connectionId);

    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it.each(['limit=0', 'limit=501', 'limit=abc', 'offset=-1', 'offset=1.5', 'endpoint=/ws/nope', 'colour=red'])(
    'GET /ws/connections?%s is 400 with the failing field',
    async (query) => {
      const res = await get(`/ws/connections?${query}`, admin());
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ statusCode: 400, fields: [expect.objectContaining({})] });
    },
  );

  it('DELETE /ws/connections/:id closes it with 4403 and answers 204; unknown is 404', async () => {
    const c = await connected(t.ws, '/ws/connect', { token: viewer('kicked') });
    const id = c.frames[0].data.connectionId;
    const res = await fetch(`${t.http}/ws/connections/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin()}` },
    });
    expect(res.status).toBe(204);
    expect((await c.closed).code).toBe(4403);
    const again = await fetch(`${t.http}/ws/connections/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin()}` },
    });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ statusCode: 404 });
  });
});
