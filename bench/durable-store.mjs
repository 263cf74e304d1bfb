// Cost of the durable event store on SQLite (S4 in docs/benchmarks.md: sparse fan-out on package:* topics):
// CPU per recorded row and the longest stretch a flush keeps the event loop busy. It drives the
// real DurableEventStore from the TypeScript sources (no build) on a fresh SQLite file configured
// as the gateway configures it (WAL, synchronous=FULL).
//
//   node --import ./test/durability-support/register.mjs bench/durable-store.mjs [--rows 88000]
//     [--batch 2200] [--topics 10000] [--warm 22000] [--per-ms 2] [--store <another version of the store>]
//     [--inline-checkpoints]
//
// To compare with an earlier version: git show <commit>:<store path> > <file next to it>.ts,
// then --store <that file> (its relative imports must resolve from there).
//
// Rows are package_update payloads on --topics random package:* topics, recorded --batch at a
// time as the recorder does every 200 ms at ~11,000 events/s; ids advance one ms every --per-ms
// rows on average (S4 publishes about 11 durable events per ms; the default 2 spreads the rows
// over more time buckets of the gap-fill index). The first --warm rows are not
// measured (statement preparation, page cache). WAL checkpoints run on the gateway's worker thread
// (WalCheckpointer), or with --inline-checkpoints in the writing connection as SQLite does by
// default. Prints one JSON line; flushBlockMs is the distribution of the longest event-loop stretch
// per flush.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { durableRow } from '../apps/gateway/src/bus/durable/durable-row.ts';
import { sqliteConnection } from '../apps/gateway/src/database/sqlite-connection.ts';
import { WalCheckpointer } from '../apps/gateway/src/database/wal-checkpointer.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '88000' },
    batch: { type: 'string', default: '2200' },
    topics: { type: 'string', default: '10000' },
    warm: { type: 'string', default: '22000' },
    'per-ms': { type: 'string', default: '2' },
    store: { type: 'string', default: 'apps/gateway/src/bus/durable/durable-event-store.ts' },
    'inline-checkpoints': { type: 'boolean', default: false },
  },
});
const { DurableEventStore } = await import(new URL(values.store, new URL('../', import.meta.url)).href);
const rows = Number(values.rows);
const batchSize = Number(values.batch);
const topicCount = Number(values.topics);
const warm = Number(values.warm);
const sameMs = 1 - 1 / Number(values['per-ms']);

const dir = mkdtempSync(join(tmpdir(), 'tracklight-durable-bench-'));
const db = new DataSource({
  type: 'better-sqlite3',
  database: join(dir, 'bench.sqlite'),
  enableWAL: true,
  prepareDatabase: (d) => {
    d.pragma('synchronous = FULL');
    d.pragma('busy_timeout = 5000');
  },
});
await db.initialize();
const sqlite = sqliteConnection(db);
if (!sqlite) throw new Error('the bench DataSource is not better-sqlite3');
const checkpointer = values['inline-checkpoints']
  ? undefined
  : new WalCheckpointer(sqlite, join(dir, 'bench.sqlite'), 1000);
const store = new DurableEventStore(db);
await store.ensureSchema();

// Deterministic pseudo-random topics, so every run writes the same rows.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const topics = Array.from({ length: topicCount }, (_, i) => `package:1Z${String(i).padStart(12, '0')}`);
let ms = Date.now() - 3_600_000;
let seq = 0;
function event() {
  const topic = topics[Math.floor(random() * topicCount)];
  seq = random() < sameMs ? seq + 1 : 0;
  if (seq === 0) ms += 1;
  const n = topic.slice(8);
  return {
    id: `${ms}-${seq}`,
    topic,
    type: 'package_update',
    timestamp: new Date(ms).toISOString(),
    data: {
      packageId: `p-${n}`,
      trackingNumber: n,
      status: 'in_transit',
      location: 'Lyon',
      latitude: 45.7 + random(),
      longitude: 4.8 + random(),
      carrier: 'UPS',
      estimatedDelivery: '2026-12-01T00:00:00.000Z',
      lastScanTime: new Date(ms).toISOString(),
    },
  };
}

// The longest gap between two turns of the event loop while a flush runs.
let maxBlockMs = 0;
let last = performance.now();
let watching = true;
const watch = () => {
  const now = performance.now();
  maxBlockMs = Math.max(maxBlockMs, now - last);
  last = now;
  if (watching) setImmediate(watch);
};

const segment = 'bench';
const start = `${ms}-0`;
// Each batch is made just before it is written (outside the measure), so the heap holds one
// batch as the recorder's does, not the whole run.
function makeBatch(size) {
  // The recorder queues rows whose payload text the fan-out already rendered.
  // The payload is shaped like a package_update, not typed as one: the store only serialises it.
  return Array.from({ length: size }, () => durableRow(/** @type {any} */ (event())));
}
let written = 0;
let cpuUs = 0;
let sysUs = 0;
let wallMs = 0;
const blocks = [];
while (written < rows) {
  const batch = makeBatch(Math.min(batchSize, rows - written));
  const cpu = process.cpuUsage();
  const wall = performance.now();
  maxBlockMs = 0;
  last = performance.now();
  watching = true;
  setImmediate(watch);
  await store.record(segment, { start, end: batch[batch.length - 1].id }, batch);
  watching = false;
  await new Promise((r) => setImmediate(r));
  maxBlockMs = Math.max(maxBlockMs, performance.now() - last);
  if (written >= warm) {
    const used = process.cpuUsage(cpu);
    cpuUs += used.user + used.system;
    sysUs += used.system;
    wallMs += performance.now() - wall;
    blocks.push(maxBlockMs);
  }
  written += batch.length;
}
const measured = rows - warm;
blocks.sort((a, b) => a - b);
const out = {
  rows: measured,
  batch: batchSize,
  topics: topicCount,
  cpuUsPerRow: Number((cpuUs / measured).toFixed(2)),
  systemUsPerRow: Number((sysUs / measured).toFixed(2)),
  wallUsPerRow: Number(((wallMs * 1000) / measured).toFixed(2)),
  checkpoints: checkpointer ? 'worker' : 'inline',
  flushBlockMs: {
    median: Number(blocks[Math.floor(blocks.length / 2)].toFixed(2)),
    p90: Number(blocks[Math.floor(blocks.length * 0.9)].toFixed(2)),
    max: Number(blocks[blocks.length - 1].toFixed(2)),
  },
};
// Reads must stay indexed: one gap-fill over a few topics.
const t0 = performance.now();
const read = await store.range(topics.slice(0, 5), start, `${ms}-${seq}`, 50_000);
out.rangeMs = Number((performance.now() - t0).toFixed(2));
out.rangeRows = read.length;
// The worst case of a bucketed index: a day-old `since`, every second of it sought per topic.
const t1 = performance.now();
await store.range(topics.slice(0, 5), `${ms - 86_400_000}-0`, `${ms}-${seq}`, 50_000);
out.rangeDayMs = Number((performance.now() - t1).toFixed(2));
console.log(JSON.stringify(out));
await checkpointer?.stop();
await db.destroy();
rmSync(dir, { recursive: true, force: true });
