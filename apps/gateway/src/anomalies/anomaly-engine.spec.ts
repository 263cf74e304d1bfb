import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config.js';
import { InMemoryEventBus } from '../bus/in-memory-event-bus.js';
import { EventLog } from '../bus/outbox/event-log.js';
import { EventLogStore } from '../bus/outbox/event-log-store.js';
import { OutboxRelay } from '../bus/outbox/outbox-relay.js';
import type { BusEvent } from '../bus/event-bus.js';
import { PackageQuery } from '../packages/package-query.js';
import type { PackageStats, PackageView, ScanView } from '../packages/package-view.js';
import { AnomalyEngine } from './anomaly-engine.js';
import { AnomalyNotifier, type NotifyInput } from './anomaly-notifier.js';
import { AnomalyPublisher } from './anomaly-publisher.js';
import { buildRules } from './rules/index.js';
import { AnomalyEntity } from './storage/anomaly.entity.js';
import { AnomalyStore } from './storage/anomaly-store.js';
import { anomalyTestDb } from '../../../../test/fixtures/anomalies/anomaly-test-db.js';
import { at, packageView, scanAt, T0 } from '../../../../test/fixtures/anomalies/package-fixture.js';

const HOUR = 3_600_000;
const nowAt = (h: number) => new Date(T0 + h * HOUR);

/** Packages held in memory: the engine only reads through PackageQuery. */
class FakePackages extends PackageQuery {
  active: PackageView[] = [];
  scans = new Map<string, ScanView[]>();
  findByTrackingNumber(tn: string) {
    return Promise.resolve(this.active.find((p) => p.trackingNumber === tn));
  }
  findActive() {
    return Promise.resolve(this.active);
  }
  recentScans(packageId: string, limit: number) {
    return Promise.resolve((this.scans.get(packageId) ?? []).slice(0, limit));
  }
  stats(): Promise<PackageStats> {
    throw new Error('not used');
  }
}

class RecordingNotifier extends AnomalyNotifier {
  sent: NotifyInput[] = [];
  notify(input: NotifyInput) {
    this.sent.push(input);
    return Promise.resolve();
  }
}

describe('AnomalyEngine (real SQLite store)', () => {
  let db: DataSource;
  let store: AnomalyStore;
  let bus: InMemoryEventBus;
  let events: BusEvent[];
  let notifier: RecordingNotifier;
  let packages: FakePackages;
  let engine: AnomalyEngine;
  let relay: OutboxRelay;
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), ANOMALY_STUCK_MS: String(6 * HOUR) });

  beforeEach(async () => {
    db = await anomalyTestDb();
    bus = new InMemoryEventBus(config);
    // The real event log and relay: anomaly events commit with the anomaly and reach the bus.
    const log = new EventLog(db, new EventLogStore(db), 1_000);
    relay = new OutboxRelay(bus, log, db);
    relay.start();
    store = new AnomalyStore(db.getRepository(AnomalyEntity), log);
    events = [];
    bus.events$.subscribe((e) => events.push(e));
    notifier = new RecordingNotifier();
    packages = new FakePackages();
    engine = new AnomalyEngine(buildRules(config.anomalies), store, new AnomalyPublisher(notifier), packages);
  });

  afterEach(async () => {
    await relay.stop();
    await db.destroy();
  });

  const rejectedOn = (pkg: PackageView, h: number) =>
    engine.onScanRejected({ package: pkg, attempted: 'picked_up', allowed: ['returned'], at: at(h) }, nowAt(h));

  it('opens a status_regression on a rejected scan and publishes it with every contract field', async () => {
    await rejectedOn(packageView({ status: 'delivered' }), 3);

    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ topic: 'anomalies', type: 'anomaly_detected' });
    expect(event.data).toEqual({
      anomalyId: expect.any(String),
      packageId: 'pkg-1',
      trackingNumber: 'TL0001',
      anomalyType: 'status_regression',
      severity: 'high',
      description: expect.stringContaining('delivered back to picked_up'),
      recommendedAction: expect.any(String),
      confidenceScore: 0.85,
      detectedAt: nowAt(3).toISOString(),
    });
    expect(notifier.sent).toEqual([
      expect.objectContaining({ level: 'warning', title: expect.stringContaining('TL0001') }),
    ]);
  });

  it('keeps at most one open anomaly per package and type', async () => {
    const pkg = packageView({ status: 'out_for_delivery' });
    await rejectedOn(pkg, 3);
    await rejectedOn(pkg, 4);
    expect(events).toHaveLength(1);
    expect((await store.counts()).open).toBe(1);
    expect(notifier.sent).toHaveLength(0); // medium: no notification
  });

  it('resolves on the next accepted scan, publishing anomaly_resolved with resolvedAt', async () => {
    const pkg = packageView({ status: 'in_transit' });
    await rejectedOn(pkg, 3);

    const scan = scanAt('baltimore', 5);
    await engine.onScanAccepted(
      {
        package: { ...pkg, lastScanTime: scan.scannedAt },
        scan,
        previousStatus: 'in_transit',
        previousScan: scanAt('philadelphia', 2),
      },
      nowAt(5),
    );
    expect(events.map((e) => e.type)).toEqual(['anomaly_detected', 'anomaly_resolved']);
    expect(events[1].data).toMatchObject({
      anomalyId: events[0].data.anomalyId,
      anomalyType: 'status_regression',
      resolvedAt: nowAt(5).toISOString(),
    });
    expect(await store.counts()).toEqual({ total: 1, open: 0 });

    // Once resolved, the same condition may open a new one.
    await rejectedOn(pkg, 6);
    expect(await store.counts()).toEqual({ total: 2, open: 1 });
  });

  it('sweeps time-driven rules and raises an open anomaly as it gets worse, notifying once it is high', async () => {
    packages.active = [packageView({ lastScanTime: at(54.5) })];
    await engine.sweep(nowAt(49)); // 1 h late: low
    await engine.sweep(nowAt(50)); // 2 h late: medium
    await engine.sweep(nowAt(50.5)); // still medium: nothing new
    await engine.sweep(nowAt(61)); // 13 h late: high; 6.5 h silent: stuck (medium)
    const delayed = events.filter((e) => e.data.anomalyType === 'delayed_delivery');
    expect(delayed.map((e) => [e.type, e.data.severity])).toEqual([
      ['anomaly_detected', 'low'],
      ['anomaly_detected', 'medium'],
      ['anomaly_detected', 'high'],
    ]);
    expect(new Set(delayed.map((e) => e.data.anomalyId)).size).toBe(1);
    expect(delayed[2].data.detectedAt).toBe(nowAt(49).toISOString());
    expect(events.filter((e) => e.data.anomalyType === 'stuck_package')).toHaveLength(1);
    expect(notifier.sent.map((n) => n.title)).toEqual([
      expect.stringMatching(/High anomaly: delayed delivery on TL0001/),
    ]);
    expect(await store.counts()).toEqual({ total: 2, open: 2 });
  });

  it('resolves delayed and stuck anomalies when the package is delivered', async () => {
    packages.active = [packageView()];
    await engine.sweep(nowAt(60));
    expect(await store.counts()).toEqual({ total: 2, open: 2 });
    const scan = scanAt('washington', 61, 'delivered');
    await engine.onScanAccepted(
      {
        package: packageView({ status: 'delivered', lastScanTime: scan.scannedAt, deliveredAt: scan.scannedAt }),
        scan,
        previousStatus: 'in_transit',
        previousScan: scanAt('philadelphia', 2),
      },
      nowAt(61),
    );
    const resolvedTypes = events.filter((e) => e.type === 'anomaly_resolved').map((e) => e.data.anomalyType);
    expect(resolvedTypes.sort()).toEqual(['delayed_delivery', 'stuck_package']);
    expect(await store.counts()).toEqual({ total: 2, open: 0 });
  });

  it('detects impossible travel and route deviation from accepted scans', async () => {
    const pkg = packageView();
    const trip = [scanAt('newYork', 10), scanAt('boston', 10.2)].reverse(); // ~300 km in 12 min
    packages.scans.set('pkg-1', trip);
    await engine.onScanAccepted(
      { package: pkg, scan: trip[0], previousScan: trip[1], previousStatus: 'in_transit' },
      nowAt(10.2),
    );
    expect(events.map((e) => e.data.anomalyType)).toEqual(['impossible_travel']);

    const route = [scanAt('baltimore', 11), scanAt('philadelphia', 15), scanAt('newYork', 20), scanAt('boston', 30)];
    packages.scans.set('pkg-1', [...route].reverse());
    await engine.onScanAccepted(
      { package: pkg, scan: route[3], previousScan: route[2], previousStatus: 'in_transit' },
      nowAt(30),
    );
    expect(events.map((e) => [e.type, e.data.anomalyType])).toEqual([
      ['anomaly_detected', 'impossible_travel'],
      ['anomaly_resolved', 'impossible_travel'],
      ['anomaly_detected', 'route_deviation'],
    ]);
  });

  it('serialises evaluations of one package so concurrent triggers cannot open duplicates', async () => {
    const pkg = packageView({ status: 'out_for_delivery' });
    await Promise.all([rejectedOn(pkg, 3), rejectedOn(pkg, 3), rejectedOn(pkg, 3)]);
    expect(events).toHaveLength(1);
  });

  it('the database itself refuses a second open anomaly of one type for a package', async () => {
    const target = { packageId: 'p', trackingNumber: 'T', type: 'stuck_package' as const };
    const finding = { severity: 'low' as const, confidenceScore: 0.5, description: 'd', recommendedAction: 'a' };
    const first = await store.open(target, finding, 1);
    expect(first).toBeDefined();
    expect(await store.open(target, finding, 2)).toBeUndefined();
    await store.resolve(first!, 3);
    expect(await store.resolve(first!, 4)).toBeUndefined(); // already resolved: no second event
    expect(await store.open(target, finding, 5)).toBeDefined();
  });
});
