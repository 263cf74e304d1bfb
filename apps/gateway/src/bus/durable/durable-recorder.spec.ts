import type { AppConfig } from '../../config/app-config.js';
import type { BusEvent } from '../event-bus.js';
import { InMemoryEventBus } from '../in-memory-event-bus.js';
import type { Segment } from './coverage.js';
import type { DurableEventStore } from './durable-event-store.js';
import type { DurableRow } from './durable-row.js';
import { DurableRecorder } from './durable-recorder.js';

/** A store whose writes stay in flight until the test lets them finish. */
class HeldStore {
  readonly written: (readonly DurableRow[])[] = [];
  private release: (() => void)[] = [];

  latest(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  record(_segment: string, _range: Segment, rows: readonly DurableRow[]): Promise<void> {
    return new Promise((resolve) => {
      this.release.push(() => {
        this.written.push(rows);
        resolve();
      });
    });
  }

  finishAll(): void {
    for (const release of this.release.splice(0)) release();
  }
}

const config = { history: { maxEvents: 10_000, maxAgeMs: 600_000 } } as AppConfig;
const update = (n: number, note: string) => ({
  packageId: `p${n}`,
  trackingNumber: `TN${n}`,
  status: 'in_transit',
  note,
});

describe('DurableRecorder', () => {
  it('vouches for queued and in-flight events exactly as published, and writes each once', async () => {
    const bus = new InMemoryEventBus(config);
    const store = new HeldStore();
    const recorder = new DurableRecorder(bus, store as unknown as DurableEventStore, {
      flushMs: 60_000,
      maxQueued: 1_000,
      continuesAfterCleanShutdown: true,
    });
    await recorder.start();
    // the interval is a minute: the test flushes by hand
    const flushNow = () => (recorder as unknown as { flush(closing: boolean): Promise<void> }).flush(false);
    const published: BusEvent[] = [];
    const publish = async (n: number, note: string) => {
      published.push(await bus.publish('package:TN1', 'package_update', update(n, note) as never));
    };
    await publish(1, 'Zürich → 東京 📦');
    await bus.publish('dashboard_metrics', 'dashboard_metrics', {} as never); // not a durable topic
    await publish(2, '"quoted"\n');
    const flush = flushNow();
    await publish(3, 'after the flush began');

    // Two in flight, one queued: all three are pending, in order, with their payloads intact.
    expect(recorder.current()?.pending).toEqual(published);

    store.finishAll();
    await flush;
    expect(recorder.current()?.pending).toEqual(published.slice(2));
    const second = flushNow();
    store.finishAll();
    await second;
    expect(recorder.current()?.pending).toEqual([]);
    expect(store.written.flatMap((rows) => rows.map((r) => r.id))).toEqual(published.map((e) => e.id));
    recorder.stop();
  });
});
