import { Logger } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** SQLite's own default, restored when the worker is gone so the WAL cannot grow without bound. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
const STOP_WAIT_MS = 2000;

export interface CheckpointResult {
  /** Frames in the WAL when the checkpoint ran. */
  log: number;
  /** Frames of those copied into the database file. */
  checkpointed: number;
}

/**
 * The worker, as CommonJS source evaluated in the thread: no file to build or to compile from
 * TypeScript under Jest. A PASSIVE checkpoint never waits for a lock and never makes a writer or
 * reader wait; what it cannot copy now (frames a reader still needs) it copies next time.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('synchronous = FULL');
} catch (err) {
  parentPort.postMessage({ fatal: String(err.message) });
  process.exit(1);
}
// Only a changed result is posted: a message wakes the application's event loop too.
let last = '';
const run = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    const key = r.log + ':' + r.checkpointed;
    if (key === last) return;
    last = key;
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ error: err.message });
  }
};
const timer = setInterval(run, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  run();
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

type WorkerMessage = { ready: true } | { fatal: string } | { error: string } | CheckpointResult;

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the commit that pushes the WAL
 * past 1000 pages copies them into the database file (and fsyncs it) on the spot: with the
 * durable event store writing ~11,000 rows/s that commit held the event loop up to twice as
 * long as a normal one (docs/storage.md). Here the connection the application writes through
 * never checkpoints, and a worker thread with its own connection to the same file does, every
 * `everyMs`. If the worker fails, the connection checkpoints for itself again.
 */
export class WalCheckpointer {
  private readonly logger = new Logger(WalCheckpointer.name);
  private readonly worker: Worker;
  private stopped = false;
  private ready = false;
  private lastResult: CheckpointResult | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly db: Database,
    file: string,
    everyMs: number,
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, everyMs } });
    this.worker.unref();
    this.worker.on('message', (m: WorkerMessage) => this.onMessage(m));
    this.worker.on('error', (err) => this.fallBack(`checkpoint worker failed: ${err.message}`));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.fallBack('checkpoint worker exited');
        resolve();
      }),
    );
  }

  /** Whether the worker has its connection and checkpoints for the application's one. */
  get running(): boolean {
    return this.ready && !this.stopped;
  }

  /** The last checkpoint the worker ran. */
  get last(): CheckpointResult | undefined {
    return this.lastResult;
  }

  /** Last checkpoint, then the worker closes its connection (bounded wait). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    this.worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, STOP_WAIT_MS)))]);
    clearTimeout(timer);
    await this.worker.terminate();
  }

  private onMessage(m: WorkerMessage): void {
    if ('ready' in m) {
      // Only now: until the worker has its connection, the application's keeps checkpointing.
      if (this.stopped) return;
      this.db.pragma('wal_autocheckpoint = 0');
      this.ready = true;
    } else if ('fatal' in m) {
      this.fallBack(`checkpoint worker could not open the database: ${m.fatal}`);
    } else if ('error' in m) {
      this.logger.warn(`WAL checkpoint failed: ${m.error}`);
    } else {
      this.lastResult = m;
    }
  }

  private fallBack(why: string): void {
    if (this.stopped || !this.db.open) return;
    this.stopped = true;
    this.logger.warn(`${why}; the database connection checkpoints for itself again`);
    this.db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  }
}
