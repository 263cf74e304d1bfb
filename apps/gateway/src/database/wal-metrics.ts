import { Gauge, type Registry } from 'prom-client';
import type { WalCheckpointer } from './wal-checkpointer.js';

/**
 * Scrape-time gauges of the SQLite WAL: whether the checkpoint worker runs (0 means the
 * application's connection checkpoints inside its commits again) and the WAL's size at the last
 * checkpoint, so a WAL that a long reader keeps from being reused can be alerted on.
 */
export function registerWalMetrics(registry: Registry, checkpointer: WalCheckpointer): void {
  const registers = [registry];
  new Gauge({
    name: 'tracklight_sqlite_checkpoint_worker_up',
    help: '1 while the WAL checkpoint worker runs, 0 after it failed (checkpoints back in commits)',
    registers,
    collect() {
      this.set(checkpointer.running ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tracklight_sqlite_wal_frames',
    help: 'Pages in the SQLite WAL at the last checkpoint, by whether they were copied to the database file',
    labelNames: ['state'],
    registers,
    collect() {
      const last = checkpointer.last;
      this.set({ state: 'total' }, last?.log ?? 0);
      this.set({ state: 'checkpointed' }, last?.checkpointed ?? 0);
    },
  });
}
