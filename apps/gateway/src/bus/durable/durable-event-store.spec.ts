import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/postgres.js';
import type { BusEvent } from '../event-bus.js';
import { DurableEventStore } from './durable-event-store.js';
import { durableRow } from './durable-row.js';
import { SQLITE_CHUNK_ROWS } from './sqlite-writer.js';

/** The first layout, as a gateway of the previous version left it in the database. */
const FIRST_LAYOUT = [
  `CREATE TABLE tracklight_durable_events (id VARCHAR(40) PRIMARY KEY, ms BIGINT NOT NULL, seq INTEGER NOT NULL,
    topic VARCHAR(200) NOT NULL, type VARCHAR(40) NOT NULL, data TEXT NOT NULL, ts VARCHAR(40) NOT NULL)`,
  `CREATE INDEX tracklight_durable_events_topic ON tracklight_durable_events (topic, ms, seq)`,
  `CREATE TABLE tracklight_durable_segments (segment VARCHAR(100) PRIMARY KEY, start_ms BIGINT NOT NULL,
    start_seq INTEGER NOT NULL, end_ms BIGINT NOT NULL, end_seq INTEGER NOT NULL, closed INTEGER NOT NULL,
    updated_ms BIGINT NOT NULL)`,
];

const event = (id: string, topic: string, n = 0): BusEvent => ({
  id,
  topic,
  type: 'package_update',
  data: { packageId: `p${n}`, trackingNumber: topic.slice(8) } as BusEvent['data'],
  timestamp: '2026-11-22T00:00:00.000Z',
});

/** What the recorder hands the store for these events. */
const rows = (events: BusEvent[]) => events.map(durableRow);

const backends: [string, () => Promise<{ open: () => Promise<DataSource>; drop: () => Promise<void> } | undefined>][] =
  [
    [
      'SQLite',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'tracklight-durable-store-'));
        const open = async () => {
          const ds = new DataSource({
            type: 'better-sqlite3',
            database: join(dir, 'db.sqlite'),
            enableWAL: true,
            prepareDatabase: (db: { pragma(sql: string): unknown }) => {
              db.pragma('busy_timeout = 5000');
            },
          });
          return ds.initialize();
        };
        return Promise.resolve({ open, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
      },
    ],
    [
      'PostgreSQL',
      async () => {
        const db: TestDatabase | undefined = await createTestDatabase('durable event store');
        if (!db) return undefined;
        return { open: () => new DataSource({ type: 'postgres', url: db.url }).initialize(), drop: () => db.drop() };
      },
    ],
  ];

describe.each(backends)('DurableEventStore on %s', (name, backend) => {
  let db: Awaited<ReturnType<typeof backend>>;
  const open: DataSource[] = [];
  const pg = name === 'PostgreSQL';
  const p = (i: number) => (pg ? `$${i}` : '?');

  beforeEach(async () => {
    db = await backend();
  });
  afterEach(async () => {
    for (const ds of open.splice(0)) await ds.destroy();
    await db?.drop();
  });

  async function connect(): Promise<DataSource> {
    const ds = await db!.open();
    open.push(ds);
    return ds;
  }

  it('carries the first layout over, events and coverage together, and drops it', async () => {
    if (!db) return;
    const ds = await connect();
    for (const sql of FIRST_LAYOUT) await ds.query(sql);
    const old = [event('1000-0', 'package:A', 0), event('1000-1', 'package:B', 1), event('1002-0', 'package:A', 2)];
    for (const e of old) {
      await ds.query(
        `INSERT INTO tracklight_durable_events (id, ms, seq, topic, type, data, ts)
         VALUES (${[1, 2, 3, 4, 5, 6, 7].map(p).join(', ')})`,
        [e.id, ...e.id.split('-').map(Number), e.topic, e.type, JSON.stringify(e.data), e.timestamp],
      );
    }
    await ds.query(`INSERT INTO tracklight_durable_segments VALUES (${[1, 2, 3, 4, 5, 6, 7].map(p).join(', ')})`, [
      's1',
      999,
      0,
      1002,
      0,
      1,
      1,
    ]);

    // Two instances starting at once (PostgreSQL): one migrates, the other finds it done.
    const store = new DurableEventStore(ds);
    if (pg) await Promise.all([store.ensureSchema(), new DurableEventStore(await connect()).ensureSchema()]);
    else await store.ensureSchema();

    expect(await store.range(['package:A', 'package:B'], '999-0', '1002-0', 10)).toEqual(old);
    expect(await store.range(['package:A'], '1000-0', '1002-0', 10)).toEqual([old[2]]);
    expect(await store.segments(0)).toEqual([{ start: '999-0', end: '1002-0', closed: true }]);
    await expect(ds.query('SELECT 1 FROM tracklight_durable_events')).rejects.toThrow();
    await expect(ds.query('SELECT 1 FROM tracklight_durable_segments')).rejects.toThrow();
    // A second start finds nothing left to carry over.
    await new DurableEventStore(ds).ensureSchema();
    expect(await store.range(['package:A', 'package:B'], '999-0', '1002-0', 10)).toHaveLength(3);
  });

  it('keeps one copy of events two instances record, and answers ranges in id order up to limit + 1', async () => {
    if (!db) return;
    const a = new DurableEventStore(await connect());
    const b = new DurableEventStore(await connect());
    await a.ensureSchema();
    await b.ensureSchema();
    const events = Array.from({ length: 30 }, (_, i) =>
      event(`${2000 + Math.floor(i / 3)}-${i % 3}`, `package:T${i % 4}`, i),
    );
    await a.record('sa', { start: '1999-0', end: '2009-2' }, rows(events.slice(0, 20)));
    await b.record('sb', { start: '1999-0', end: '2009-2' }, rows(events.slice(10)));
    await a.record('sa', { start: '1999-0', end: '2009-2' }, rows(events.slice(20)));

    const wanted = events.filter((e) => e.topic === 'package:T1' || e.topic === 'package:T3');
    expect(await b.range(['package:T1', 'package:T3'], '1999-0', '2009-2', 100)).toEqual(wanted);
    expect(await a.range(['package:T1', 'package:T3'], wanted[2].id, wanted[9].id, 100)).toEqual(wanted.slice(3, 10));
    expect(await a.range(['package:T1', 'package:T3'], '1999-0', '2009-2', 4)).toEqual(wanted.slice(0, 5));
    expect(await a.range(['package:unknown'], '1999-0', '2009-2', 4)).toEqual([]);
    expect((await a.segments(0)).map((s) => s.end).sort()).toEqual(['2009-2', '2009-2']);
  });

  it('reads across time buckets and hour-long read windows, stopping once limit + 1 rows are found', async () => {
    if (!db) return;
    const store = new DurableEventStore(await connect());
    await store.ensureSchema();
    // Seconds apart and hours apart: several buckets, and more than one read window.
    const ms = [1_000, 1_999, 2_000, 3_600_500, 3_601_000, 7_300_000, 90_000_000];
    const events = ms.map((m, i) => event(`${m}-0`, `package:W${i % 2}`, i));
    await store.record('w', { start: '0-0', end: '90000000-0' }, rows(events));

    expect(await store.range(['package:W0', 'package:W1'], '0-0', '90000000-0', 100)).toEqual(events);
    expect(await store.range(['package:W0'], '1999-0', '90000000-0', 100)).toEqual(
      events.filter((e, i) => i % 2 === 0 && i > 1),
    );
    // limit 2 => 3 rows, the third in the second read window.
    expect(await store.range(['package:W0', 'package:W1'], '1999-0', '90000000-0', 2)).toEqual(events.slice(2, 5));
    expect(await store.range(['package:W1'], '3600500-0', '7300000-0', 100)).toEqual([events[5]]);
  });

  it('replaces the topic-first gap-fill index of the second layout with the bucketed one', async () => {
    if (!db) return;
    const ds = await connect();
    const store = new DurableEventStore(ds);
    await store.ensureSchema();
    await ds.query('DROP INDEX tracklight_durable_events_v2_bucket');
    await ds.query(
      'CREATE INDEX tracklight_durable_events_v2_topic ON tracklight_durable_events_v2 (topic_id, ms, seq)',
    );
    await store.record('s', { start: '0-0', end: '5000-0' }, rows([event('4000-0', 'package:I')]));

    await new DurableEventStore(ds).ensureSchema();

    const indexes = await ds.query<{ name: string }[]>(
      pg
        ? `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'tracklight_durable_events_v2'`
        : `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tracklight_durable_events_v2'`,
    );
    const names = indexes.map((i) => i.name);
    expect(names).toContain('tracklight_durable_events_v2_bucket');
    expect(names).not.toContain('tracklight_durable_events_v2_topic');
    expect(await store.range(['package:I'], '0-0', '5000-0', 10)).toEqual([event('4000-0', 'package:I')]);
  });

  it('prunes old events, old segments but the current one, and topics nothing refers to', async () => {
    if (!db) return;
    const ds = await connect();
    const store = new DurableEventStore(ds);
    await store.ensureSchema();
    await store.record('old', { start: '100-0', end: '200-0' }, rows([event('150-0', 'package:OLD')]));
    await store.record('current', { start: '100-0', end: '200-0' }, rows([event('160-0', 'package:KEPT')]));
    await store.record('new', { start: '200-0', end: '400-0' }, rows([event('300-0', 'package:KEPT')]));
    // Topic rows are kept while a writer may still hold their id: pretend that time has passed.
    await ds.query('UPDATE tracklight_durable_topics SET used_ms = 0');

    await store.prune(250, 'current');

    expect(await store.range(['package:OLD', 'package:KEPT'], '0-0', '400-0', 10)).toEqual([
      event('300-0', 'package:KEPT'),
    ]);
    expect((await store.segments(0)).map((s) => s.end)).toEqual(['200-0', '400-0']);
    const topics = await ds.query<{ topic: string }[]>('SELECT topic FROM tracklight_durable_topics');
    expect(topics.map((t) => t.topic)).toEqual(['package:KEPT']);
  });

  it('writes a large batch whole, with the segment at the batch end', async () => {
    if (!db) return;
    const store = new DurableEventStore(await connect());
    await store.ensureSchema();
    const events = Array.from({ length: 2 * SQLITE_CHUNK_ROWS + 7 }, (_, i) =>
      event(`5000-${i}`, `package:C${i % 50}`, i),
    );
    let turns = 0;
    const spin = () => {
      turns += 1;
      if (spinning) setImmediate(spin);
    };
    let spinning = true;
    setImmediate(spin);
    await store.record('big', { start: '4999-0', end: '5001-0' }, rows(events));
    spinning = false;
    expect(await store.range(['package:C7'], '4999-0', '5001-0', 10_000)).toEqual(
      events.filter((e) => e.topic === 'package:C7'),
    );
    expect(await store.segments(0)).toEqual([{ start: '4999-0', end: '5001-0', closed: false }]);
    // On SQLite (synchronous) the event loop turned between each two of the three chunks.
    if (!pg) expect(turns).toBeGreaterThanOrEqual(2);
  });
});
