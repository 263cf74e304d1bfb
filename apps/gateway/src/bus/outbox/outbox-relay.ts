import { Logger } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';
import type { BusEvent, EventBus } from '../event-bus.js';
import type { EventLog } from './event-log.js';
import type { LogRow } from './event-log-store.js';

export interface RelayOptions {
  /** Rows per bus call. */
  batch: number;
  /** The safety net: rows another instance committed, or left behind when it died. */
  pollMs: number;
  /** After a refused publish (bus down), or while another instance holds the relay. */
  retryMs: number;
}

const DEFAULTS: RelayOptions = { batch: 500, pollMs: 500, retryMs: 50 };

/** One relay at a time in the deployment (PostgreSQL): commit order is kept on the bus. */
const RELAY_LOCK = 7_242_002;

/**
 * Puts committed event-log rows on the bus in log (= commit) order and records the id each got.
 * Runs on every instance: cued right after each local commit (the normal, low-latency path), and
 * polled, so rows an instance committed but could not relay (it died, or the bus was down) go
 * out through whichever instance runs next. On PostgreSQL a session advisory lock lets one
 * relay pass run at a time across instances; a dead instance's lock goes with its connection.
 * Relaying is at least once; the bus's `publishLogged` makes it once as subscribers see it.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly options: RelayOptions;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  /** Settles when the pass after the running one ends: what a commit made now waits for. */
  private next: { promise: Promise<void>; resolve: () => void } | undefined;
  private lastFailure = '';
  /** Direct publishes waiting for their row's bus event, by seq. */
  private readonly waiters = new Map<number, (event: BusEvent) => void>();

  constructor(
    private readonly bus: EventBus,
    private readonly log: EventLog,
    private readonly db: DataSource,
    options: Partial<RelayOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  start(): void {
    this.log.attachRelay(() => this.pass());
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops cues and polls, then lets a running pass finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
    this.log.attachRelay(undefined);
    await this.running;
    this.next?.resolve();
  }

  /**
   * Resolves with the bus event of log row `seq` once relayed. Call it before the row's commit:
   * the pass that commit starts (EventLog.transaction) settles it, and no pass is spent on it.
   */
  relayed(seq: number): Promise<BusEvent> {
    return new Promise((resolve) => this.waiters.set(seq, resolve));
  }

  /** Rows whose transaction rolled back will never be relayed. */
  forget(seqs: readonly number[]): void {
    for (const seq of seqs) this.waiters.delete(seq);
  }

  kick(): void {
    void this.pass();
  }

  /**
   * Runs a pass that starts after this call (so it sees every row committed before it) and
   * settles when that pass ended, relayed or not; never rejects.
   */
  pass(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      if (!this.next) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.next = { promise, resolve };
      }
      return this.next.promise;
    }
    const run = this.loop().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        const waiting = this.next;
        this.next = undefined;
        void this.pass().then(() => waiting?.resolve());
      }
    });
    this.running = run;
    return run;
  }

  private async loop(): Promise<void> {
    try {
      const outcome = this.log.sqlite ? await this.passSqlite() : await this.passPostgres();
      if (outcome === 'busy') this.retryLater();
      if (this.waiters.size) await this.resolveRelayedElsewhere();
      if (this.lastFailure) this.logger.log('relaying stored events again');
      this.lastFailure = '';
    } catch (err) {
      const message = (err as Error).message;
      if (message !== this.lastFailure) this.logger.warn(`relaying stored events failed, will retry: ${message}`);
      this.lastFailure = message;
      await this.countBacklog();
      this.retryLater();
    }
  }

  private retryLater(): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.kick(), this.options.retryMs);
    this.retry.unref();
  }

  private async passSqlite(): Promise<'done'> {
    for (;;) {
      // Read, publish and record in one turn: EventLog.publishDirect also calls publishLogged, and
      // the bus takes one batch at a time. The store commits the ids itself (SqliteLogStatements).
      const count = await this.log.exclusive(async () => {
        const rows = await this.log.store.unrelayed(this.options.batch);
        if (rows.length)
          await this.publish(rows, (ids) => this.log.store.markRelayed(this.db, rows.slice(0, ids.length), ids));
        return rows.length;
      });
      if (count < this.options.batch) break;
    }
    this.log.backlog = 0;
    return 'done';
  }

  private async passPostgres(): Promise<'done' | 'busy'> {
    const runner: QueryRunner = this.db.createQueryRunner();
    await runner.connect();
    let locked = false;
    try {
      const got = (await runner.query('SELECT pg_try_advisory_lock($1) AS ok', [RELAY_LOCK])) as { ok: boolean }[];
      locked = got[0]?.ok === true;
      // Another instance is relaying; it may have read before our commit, so look again soon.
      if (!locked) return 'busy';
      for (;;) {
        const rows = await this.log.store.unrelayed(this.options.batch, runner);
        if (!rows.length) break;
        await this.publish(rows, (ids) => this.log.store.markRelayed(runner, rows.slice(0, ids.length), ids));
        if (rows.length < this.options.batch) break;
      }
      this.log.backlog = 0;
      return 'done';
    } finally {
      try {
        if (locked) await runner.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK]);
      } finally {
        await runner.release();
      }
    }
  }

  private async publish(rows: LogRow[], persist: (ids: readonly string[]) => Promise<void>): Promise<void> {
    const events = await this.bus.publishLogged(rows, persist);
    for (let i = 0; i < events.length; i++) {
      const waiter = this.waiters.get(rows[i].seq);
      if (waiter) {
        this.waiters.delete(rows[i].seq);
        waiter(events[i]);
      }
    }
  }

  /** Rows of waiting publishes that another instance relayed (it held the relay lock). */
  private async resolveRelayedElsewhere(): Promise<void> {
    const found = await this.log.store.relayedBySeq([...this.waiters.keys()]);
    for (const [seq, event] of found) {
      this.waiters.get(seq)?.(event);
      this.waiters.delete(seq);
    }
  }

  private async countBacklog(): Promise<void> {
    try {
      this.log.backlog = await this.log.store.countUnrelayed();
    } catch {
      // Storage is down too: the writes that would grow the backlog fail on their own.
    }
  }
}
