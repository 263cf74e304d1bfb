import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PackageUpdate } from '@tracklight/protocol';
import { EventBus, type BusEvent } from '../../apps/gateway/src/bus/event-bus.js';
import { EventLog } from '../../apps/gateway/src/bus/outbox/event-log.js';
import { startApp, type TestApp } from '../support/app.js';
import { packageBody, postPackage, rest } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';
import { connected, packageUpdate } from '../support/ws.js';

/**
 * Reads of the event log on SQLite, where module writes keep a row per event and direct
 * publishes a row per group commit (sqlite-event-batches.ts): every read merges the two in id
 * order, cuts at its limit, and bounds and topic filters hold inside a batch too.
 */
const update = (trackingNumber: string, n: number): PackageUpdate =>
  packageUpdate({ trackingNumber, packageId: `p${n}`, version: n });

describe('event log reads across module writes and direct publishes (SQLite)', () => {
  let dataDir: string;
  let t: TestApp;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tracklight-log-reads-'));
    t = await startApp({ DATA_DIR: dataDir });
  });
  afterEach(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** One group commit (not awaited one by one), on the topics given, in order. */
  const burst = (topics: string[], tn = 'LOGR0000001'): Promise<BusEvent[]> => {
    const bus = t.app.get(EventBus);
    return Promise.all(
      topics.map((topic, n) => bus.publish(topic as 'package_updates', 'package_update', update(tn, n))),
    );
  };
  const range = (topics: string[], from: { after: string } | { fromMs: number }, upTo?: string, limit = 1000) =>
    t.app.get(EventLog).store.range(topics, from, upTo, limit);
  const ids = (events: BusEvent[]) => events.map((e) => e.id);

  it('merges module writes and direct publishes in the order subscribers saw them, and pages through both', async () => {
    const live = await connected(t.ws, '/ws/packages', { token: viewer() });
    const call = rest(() => t);
    const before = await burst(['package_updates', 'package_updates']);
    expect((await postPackage(call, ops(), packageBody('LOGR0000002'))).status).toBe(201);
    const between = await burst(['package_updates']);
    expect((await postPackage(call, ops(), packageBody('LOGR0000003'))).status).toBe(201);
    const after = await burst(['package_updates', 'package_updates', 'package_updates']);
    await live.next((f) => f.type === 'package_update' && f.id === after[2].id);
    const seen = live.all((f) => f.type === 'package_update');
    await live.close();
    expect(seen).toHaveLength(8);
    expect(seen.map((f) => f.id)).toEqual(expect.arrayContaining(ids([...before, ...between, ...after])));

    const stored = await range(['package_updates'], { after: '0-0' });
    expect(stored.map(({ type, topic, id, data, timestamp }) => ({ type, topic, id, data, timestamp }))).toEqual(
      seen.map(({ type, topic, id, data, timestamp }) => ({ type, topic, id, data, timestamp })),
    );
    // A limit cuts the merged order, and the next page starts after the last id of this one.
    for (const limit of [1, 3, 5])
      expect(ids(await range(['package_updates'], { after: '0-0' }, undefined, limit))).toEqual(
        ids(stored).slice(0, limit),
      );
    const pages: string[] = [];
    let since = '0-0';
    for (let i = 0; i < 10 && pages.length < stored.length; i++) {
      const page = await range(['package_updates'], { after: since }, undefined, 3);
      pages.push(...ids(page));
      since = page[page.length - 1].id;
    }
    expect(pages).toEqual(ids(stored));
  });

  it('holds bounds and topic filters inside one batch, and never matches a topic by its prefix', async () => {
    const topics = [
      'package:LOGR1',
      'package:LOGR12',
      'package:LOGR1',
      'package_updates',
      'package:LOGR1',
      'package:LOGR12',
    ];
    const events = await burst(topics);
    const of = (topic: string) => ids(events.filter((e) => e.topic === topic));

    expect(ids(await range(['package:LOGR1'], { after: '0-0' }))).toEqual(of('package:LOGR1'));
    expect(ids(await range(['package:LOGR12', 'package_updates'], { after: '0-0' }))).toEqual(
      ids(events.filter((e) => e.topic !== 'package:LOGR1')),
    );
    // (after, upTo] inside the batch.
    const all = ['package:LOGR1', 'package:LOGR12', 'package_updates'];
    expect(ids(await range(all, { after: events[1].id }, events[4].id))).toEqual(ids(events.slice(2, 5)));
    expect(await range(all, { after: events[5].id })).toEqual([]);
    expect(ids(await range(all, { fromMs: Number(events[0].id.split('-')[0]) }))).toEqual(ids(events));
    expect(await range(['package:LOGR2'], { after: '0-0' })).toEqual([]);
  });

  it('knows the newest id a batch holds, and prunes batches past the window', async () => {
    const events = await burst(['package_updates', 'package_updates']);
    const store = t.app.get(EventLog).store;
    expect(await store.newestBusId()).toBe(events[1].id);
    await store.prune(Number(events[1].id.split('-')[0]) + 1);
    expect(await range(['package_updates'], { after: '0-0' })).toEqual([]);
  });
});
