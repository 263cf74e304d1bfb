import { randomUUID } from 'node:crypto';
import { ServiceUnavailableException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { isStoredTopic, type EventPayloads, type EventType, type Topic } from '@tracklight/protocol';
import type { EventLogStore } from './event-log-store.js';

/** Appends events of stored topics inside a transaction of `EventLog.transaction`. */
export type AppendEvent = <K extends EventType>(topic: Topic, type: K, data: EventPayloads[K]) => Promise<void>;

/** Serialises log inserts across the deployment on PostgreSQL, so row order is commit order. */
const APPEND_LOCK = 7_242_001;

/** Refused before committing: the relay is too far behind (the bus is down), retry later. */
export class EventBacklogFullError extends ServiceUnavailableException {
  constructor(backlog: number) {
    super({
      statusCode: 503,
      error: 'Service Unavailable',
      message: `event bus unavailable, retry later (${backlog} events wait for the bus)`,
    });
  }
}

/**
 * The transactional event log (outbox). A module writes its change and the events describing it
 * in one transaction; the relay (OutboxRelay) puts committed rows on the bus afterwards. So an
 * event exists exactly when its change does, whatever crashes in between.
 *
 * Commit order is row order: on PostgreSQL every append first takes one transaction-scoped
 * advisory lock, held until its commit, so no row with a smaller seq can commit after a larger
 * one; SQLite has one writer (and TypeORM one shared connection, so the transactions of this log
 * run one at a time, see `exclusive`).
 */
export class EventLog {
  private relay: (() => Promise<void>) | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  /** Unrelayed rows as the relay last counted them; writes are refused past `maxBacklog`. */
  backlog = 0;

  constructor(
    private readonly db: DataSource,
    readonly store: EventLogStore,
    private readonly maxBacklog: number,
  ) {}

  get sqlite(): boolean {
    return !this.store.postgres;
  }

  /**
   * Runs `work` in one transaction whose appended events commit with it, then lets the relay run
   * a pass and waits for it: on the normal path the events are on the bus when this resolves, so
   * a 2xx is answered after its events went out, as before the log. While the bus is down that
   * pass fails at once and the events wait in the log. A refusal for backlog comes before
   * anything is written (the transaction rolls back).
   */
  async transaction<T>(work: (m: EntityManager, append: AppendEvent) => Promise<T>): Promise<T> {
    let appended = 0;
    const result = await this.exclusive(() =>
      this.db.transaction((m) =>
        work(m, async (topic, type, data) => {
          await this.append(m, topic, type, data);
          appended++;
        }),
      ),
    );
    if (appended) await this.committed();
    return result;
  }

  /**
   * Adds one event to the caller's transaction. Callers outside `transaction` must call
   * `committed()` after their commit so the relay does not wait for its next poll.
   */
  async append<K extends EventType>(m: EntityManager, topic: Topic, type: K, data: EventPayloads[K]): Promise<number> {
    if (!isStoredTopic(topic)) throw new Error(`${topic} is not a stored topic`);
    if (this.backlog >= this.maxBacklog) throw new EventBacklogFullError(this.backlog);
    if (this.store.postgres) await m.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    return this.store.insert(m, randomUUID(), topic, type, JSON.stringify(data), Date.now());
  }

  /** The relay's cue after a commit made outside `transaction`; never rejects. */
  async committed(): Promise<void> {
    await this.relay?.();
  }

  /** `pass` runs the relay once more after every commit (OutboxRelay.start). */
  attachRelay(pass: (() => Promise<void>) | undefined): void {
    this.relay = pass;
  }

  /**
   * On SQLite TypeORM runs every transaction on one shared connection (a second one would nest as
   * a savepoint), so the log's transactions and the relay's statements take turns here; on
   * PostgreSQL each transaction has its own connection and this runs `fn` at once.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.store.postgres) return fn();
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
