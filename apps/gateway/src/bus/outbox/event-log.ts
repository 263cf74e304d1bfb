import { randomUUID } from 'node:crypto';
import { ServiceUnavailableException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { isStoredTopic, type EventPayloads, type EventType, type Topic } from '@tracklight/protocol';
import type { BusEvent, EventBus, LoggedEvent } from '../event-bus.js';
import type { EventLogStore, NewLogRow } from './event-log-store.js';

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
 * Commit order is row order: on PostgreSQL a transaction takes one transaction-scoped advisory
 * lock just before inserting its rows, held until its commit, so no row with a smaller seq can
 * commit after a larger one; SQLite has one writer (and TypeORM one shared connection, so the transactions of this log
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
   *
   * Appends are collected and inserted together when `work` is done (one statement on
   * PostgreSQL, prepared ones on SQLite); `appended` gets their seqs before the commit.
   */
  async transaction<T>(
    work: (m: EntityManager, append: AppendEvent) => Promise<T>,
    appended?: (seqs: readonly number[]) => void,
  ): Promise<T> {
    let count = 0;
    const result = await this.exclusive(() =>
      this.db.transaction(async (m) => {
        const rows: NewLogRow[] = [];
        // A throw in the executor (backlog full, not stored) becomes the append's rejection.
        const out = await work(
          m,
          (topic, type, data) =>
            new Promise((resolve) => {
              rows.push(this.row(topic, type, data));
              resolve();
            }),
        );
        if (rows.length) {
          if (this.store.postgres) await m.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
          const seqs = await this.store.insert(m, rows);
          count = seqs.length;
          appended?.(seqs);
        }
        return out;
      }),
    );
    if (count) await this.committed();
    return result;
  }

  /**
   * Events with no change of their own to commit with (a direct `EventBus.publish` on a stored
   * topic: tools, tests, the benchmark's server), on SQLite with the in-process bus: the bus hands
   * out their ids, one transaction writes them with those ids as one batch row
   * (SqliteEventBatches), then the bus emits them (`publishLogged`). No relay pass, no second
   * commit to record ids, no re-read, no per-event index entries: on the hot path those were the
   * log's cost (S4 in docs/benchmarks.md). A crash before the commit leaves nothing anyone saw;
   * after it, the events are in the log with the ids subscribers got, so a resume serves them. Not for Redis (it shows an event before the row
   * could hold its id) nor PostgreSQL (instances share the log but not an id generator); there
   * the relay path applies.
   */
  publishDirect(
    bus: EventBus,
    items: readonly { topic: Topic; type: EventType; data: EventPayloads[EventType] }[],
  ): Promise<BusEvent[]> {
    // One object per event serves as the row to insert and the event to publish (`value` spares a parse).
    const rows: (NewLogRow & LoggedEvent)[] = items.map((i) => {
      const row: NewLogRow & LoggedEvent = this.row(i.topic, i.type, i.data, false);
      row.value = i.data;
      return row;
    });
    // In turn with the relay, whose publishLogged must not overlap this one (the bus holds one batch).
    return this.exclusive(() =>
      bus.publishLogged(rows, (ids) => {
        this.store.insertPublished(rows, ids);
        return Promise.resolve();
      }),
    );
  }

  /** Checked when the event is appended, so a refusal rolls the caller's change back. */
  private row<K extends EventType>(topic: Topic, type: K, data: EventPayloads[K], queued = true): NewLogRow {
    if (!isStoredTopic(topic)) throw new Error(`${topic} is not a stored topic`);
    // Rows that wait for the relay count against the bound; published ones never wait.
    if (queued && this.backlog >= this.maxBacklog) throw new EventBacklogFullError(this.backlog);
    return { key: randomUUID(), topic, type, data: JSON.stringify(data), createdMs: Date.now() };
  }

  /** The relay's cue after a commit; never rejects. */
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
