import { Inject, Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { EventPayloads, EventType, Topic } from '@tracklight/protocol';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import {
  EventBus,
  type BusEvent,
  type BusHealth,
  type LoggedEvent,
  type PersistIds,
  type ReplayResult,
} from './event-bus.js';
import { publishedEvent, requireBusEvent, type BusEventOf } from './bus-event.js';
import { EventHistory } from './event-history.js';
import { EventIdGenerator } from './event-id.js';
import { rememberDataJson } from './event-json.js';

/** The embedded default: one process, history in memory. */
@Injectable()
export class InMemoryEventBus extends EventBus {
  private readonly subject = new Subject<BusEvent>();
  private readonly ids = new EventIdGenerator();
  private readonly history: EventHistory;
  private last: string | undefined;
  private lastMs = Number.NaN;
  private lastIso = '';
  /** Set while a relayed batch's ids are being persisted: events published meanwhile wait here. */
  private holding: BusEvent[] | undefined;

  readonly events$: Observable<BusEvent> = this.subject.asObservable();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.history = new EventHistory(config.history);
  }

  publish<K extends EventType>(topic: Topic, type: K, data: EventPayloads[K]): Promise<BusEventOf<K>> {
    const now = Date.now();
    const event = publishedEvent({ id: this.ids.next(now), topic, type, data, timestamp: this.isoTime(now) });
    if (this.holding) this.holding.push(event);
    else this.emit(event, now);
    return Promise.resolve(event);
  }

  /**
   * Ids first, then `persist`, then the events go out: no subscriber sees an event whose id the
   * log does not hold yet, so a crash in between cannot make the relay send it again under
   * another id. Events published meanwhile wait behind the batch, so `events$` stays in id order.
   */
  override async publishLogged(rows: readonly LoggedEvent[], persist: PersistIds): Promise<BusEvent[]> {
    if (this.holding) throw new Error('publishLogged is already running');
    const now = Date.now();
    const timestamp = this.isoTime(now);
    const events = rows.map((r) =>
      requireBusEvent({
        id: this.ids.next(now),
        topic: r.topic,
        type: r.type,
        data: r.value ?? JSON.parse(r.data),
        timestamp,
      }),
    );
    const held: BusEvent[] = [];
    this.holding = held;
    let persisted = false;
    try {
      await persist(events.map((e) => e.id));
      persisted = true;
    } finally {
      this.holding = undefined;
      const at = Date.now();
      if (persisted)
        for (let i = 0; i < events.length; i++) {
          // The row's text is the payload's JSON: the frame reuses it instead of a second stringify.
          rememberDataJson(events[i], rows[i].data);
          this.emit(events[i], at);
        }
      for (const e of held) this.emit(e, at);
    }
    return events;
  }

  /** A restart continues after the newest id the event log holds, never below it. */
  resumeAfter(id: string): void {
    this.ids.after(id);
  }

  private emit(event: BusEvent, now: number): void {
    this.history.append(event, now);
    this.last = event.id;
    this.subject.next(event);
  }

  /** Events of the same millisecond share one timestamp text (toISOString allocates a Date and a string). */
  private isoTime(now: number): string {
    if (now !== this.lastMs) {
      this.lastMs = now;
      this.lastIso = new Date(now).toISOString();
    }
    return this.lastIso;
  }

  replay(topics: readonly string[], sinceId: string): Promise<ReplayResult> {
    return Promise.resolve(this.history.replay(new Set(topics), sinceId));
  }

  lastEventId(): string | undefined {
    return this.last;
  }

  health(): BusHealth {
    return 'ok';
  }
}
