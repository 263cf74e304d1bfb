import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { sqliteConnection } from '../../database/sqlite-connection.js';
import type { BusEvent } from '../event-bus.js';
import { DurableEventStore } from './durable-event-store.js';
import { durableRow } from './durable-row.js';
import { SQLITE_CHUNK_ROWS } from './sqlite-writer.js';

const FULL = 2;

const events = (n: number, fromMs: number): BusEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${fromMs + i}-0`,
    topic: `package:TN${i % 500}`,
    type: 'package_update',
    data: { packageId: `p${i}`, trackingNumber: `TN${i % 500}`, note: 'x'.repeat(200) } as unknown as BusEvent['data'],
    timestamp: new Date(fromMs + i).toISOString(),
  }));

describe('SqliteWriter (durable store on SQLite)', () => {
  let dir: string;
  let ds: DataSource;
  let store: DurableEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracklight-sqlite-writer-'));
    ds = await new DataSource({
      type: 'better-sqlite3',
      database: join(dir, 'db.sqlite'),
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('synchronous = FULL');
      },
    }).initialize();
    store = new DurableEventStore(ds);
    await store.ensureSchema();
  });

  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits its chunks without fsync but gives the connection back with the application setting', async () => {
    const db = sqliteConnection(ds);
    if (!db) throw new Error('no SQLite connection');
    const seen: number[] = [];
    // Wrap the connection's pragma calls to see the level each chunk ran at.
    const pragma = db.pragma.bind(db);
    db.pragma = (source: string, options?: { simple?: boolean }) => {
      if (/^synchronous\s*=/.test(source)) seen.push(/NORMAL/i.test(source) ? 1 : Number(source.split('=')[1]));
      return pragma(source, options);
    };
    const fromMs = Date.now();
    const batch = events(2 * SQLITE_CHUNK_ROWS + 1, fromMs);
    await store.record('s1', { start: '0-0', end: batch[batch.length - 1].id }, batch.map(durableRow));
    expect(seen).toEqual([1, FULL, 1, FULL, 1, FULL]);
    expect(pragma('synchronous', { simple: true })).toBe(FULL);
    // The application's own transactions still work on the connection, at FULL.
    await ds.query('CREATE TABLE app_rows (id INTEGER PRIMARY KEY)');
    await ds.transaction(async (tx) => tx.query('INSERT INTO app_rows (id) VALUES (1)'));
    expect(await ds.query('SELECT id FROM app_rows')).toEqual([{ id: 1 }]);
    const stored = await store.range(['package:TN7'], `${fromMs - 1}-0`, batch[batch.length - 1].id, 10_000);
    expect(stored.length).toBe(batch.filter((e) => e.topic === 'package:TN7').length);
  });

  it('paces a batch of several chunks: the event loop is free about as long as the chunks hold it', async () => {
    const batch = events(6 * SQLITE_CHUNK_ROWS, Date.now());
    const before = performance.eventLoopUtilization();
    await store.record('s1', { start: '0-0', end: batch[batch.length - 1].id }, batch.map(durableRow));
    const { utilization } = performance.eventLoopUtilization(before);
    // Chunks back to back with a turn of the loop between them measured 0.95 and more.
    expect(utilization).toBeLessThan(0.75);
    expect(utilization).toBeGreaterThan(0.2);
  });
});
