import { describeOnBackends } from '../support/backends.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { admin, ops, viewer } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';
import { connected, type TestClient } from '../support/ws.js';

/** POST /anomalies/:anomalyId/acknowledge (contract revision 2), stored on SQLite and PostgreSQL. */
const tn = trackingNumbers('ACK');

await describeOnBackends('anomaly acknowledgement on %s', {}, (ctx) => {
  const call = rest(() => ctx.app());
  let watcher: TestClient;

  beforeAll(async () => {
    watcher = await connected(ctx.app().ws, '/ws/connect', { token: viewer() });
    expect((await watcher.request('subscribe', { topics: ['anomalies'] })).type).toBe('subscribed');
  });
  afterAll(async () => {
    await watcher?.close();
  });

  /** A package scanned backwards: one open status_regression anomaly. */
  async function openAnomaly(): Promise<{ anomalyId: string; trackingNumber: string }> {
    const trackingNumber = tn();
    expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
    const here = { location: 'Berlin', latitude: 52.52, longitude: 13.405 };
    expect((await postScan(call, trackingNumber, ops(), { status: 'in_transit', ...here })).status).toBe(201);
    expect((await postScan(call, trackingNumber, ops(), { status: 'picked_up', ...here })).status).toBe(409);
    let anomalyId = '';
    await waitFor(async () => {
      const res = await call('GET', `/anomalies?trackingNumber=${trackingNumber}`, viewer());
      anomalyId = (res.body.items as { anomalyId: string }[])[0]?.anomalyId ?? '';
      return anomalyId !== '';
    });
    return { anomalyId, trackingNumber };
  }

  it('records who and when, answers 200 with the anomaly and publishes anomaly_acknowledged once', async () => {
    const { anomalyId, trackingNumber } = await openAnomaly();
    const before = Date.now();
    const res = await call('POST', `/anomalies/${anomalyId}/acknowledge`, ops('olga'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ anomalyId, trackingNumber, acknowledgedBy: 'olga' });
    expect(Date.parse(res.body.acknowledgedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(res.body.resolvedAt).toBeUndefined();

    const event = await watcher.next((f) => f.type === 'anomaly_acknowledged' && f.data.anomalyId === anomalyId);
    expect(event.topic).toBe('anomalies');
    expect(event.data).toEqual(res.body);

    const listed = await call('GET', `/anomalies?trackingNumber=${trackingNumber}`, viewer());
    expect(listed.body.items[0]).toMatchObject({ acknowledgedBy: 'olga', acknowledgedAt: res.body.acknowledgedAt });

    // Again, by someone else: a no-op 200 that keeps the first acknowledgement and publishes nothing.
    const again = await call('POST', `/anomalies/${anomalyId}/acknowledge`, admin('ada'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    const marker = await call('POST', `/anomalies/${(await openAnomaly()).anomalyId}/acknowledge`, ops());
    await watcher.next((f) => f.type === 'anomaly_acknowledged' && f.data.anomalyId === marker.body.anomalyId);
    expect(watcher.all((f) => f.type === 'anomaly_acknowledged' && f.data.anomalyId === anomalyId)).toHaveLength(1);
  });

  it('concurrent acknowledgements make exactly one change and one event', async () => {
    const { anomalyId } = await openAnomaly();
    const replies = await Promise.all(
      ['a1', 'a2', 'a3', 'a4'].map((sub) => call('POST', `/anomalies/${anomalyId}/acknowledge`, ops(sub))),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const who = new Set(replies.map((r) => r.body.acknowledgedBy as string));
    expect(who.size).toBe(1);
    await watcher.next((f) => f.type === 'anomaly_acknowledged' && f.data.anomalyId === anomalyId);
    await new Promise((r) => setTimeout(r, 200));
    expect(watcher.all((f) => f.type === 'anomaly_acknowledged' && f.data.anomalyId === anomalyId)).toHaveLength(1);
  });

  it('refuses viewers (403), no token (401), a malformed id (400 with the field) and an unknown id (404)', async () => {
    const { anomalyId } = await openAnomaly();
    expect((await call('POST', `/anomalies/${anomalyId}/acknowledge`)).status).toBe(401);
    expect((await call('POST', `/anomalies/${anomalyId}/acknowledge`, viewer())).status).toBe(403);
    const bad = await call('POST', '/anomalies/not-a-uuid/acknowledge', ops());
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'anomalyId', errors: ['anomalyId must be a UUID'] }]);
    const unknown = await call('POST', '/anomalies/00000000-0000-4000-8000-000000000000/acknowledge', ops());
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('00000000-0000-4000-8000-000000000000');
    const still = await call('GET', `/anomalies?open=true`, viewer());
    expect(
      (still.body.items as { anomalyId: string; acknowledgedAt?: string }[]).find((a) => a.anomalyId === anomalyId),
    ).not.toHaveProperty('acknowledgedAt');
  });
});
