import { Inject, Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { EventPayloads, EventType, Topic } from '@tracklight/protocol';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EventBus, type BusEvent, type BusHealth, type ReplayResult } from './event-bus.js';
import { EventHistory } from './event-history.js';
import { EventIdGenerator } from './event-id.js';

/** The embedded default: one process, history in memory. */
@Injectable()
export class InMemoryEventBus extends EventBus {
  private readonly subject = new Subject<BusEvent>();
  private readonly ids = new EventIdGenerator();
  private readonly history: EventHistory;
  private last: string | undefined;
  private lastMs = Number.NaN;
  private lastIso = '';

  readonly events$: Observable<BusEvent> = this.subject.asObservable();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.history = new EventHistory(config.history);
  }

  publish<K extends EventType>(topic: Topic, type: K, data: EventPayloads[K]): Promise<BusEvent<K>> {
    const now = Date.now();
    const event: BusEvent<K> = { id: this.ids.next(now), topic, type, data, timestamp: this.isoTime(now) };
    this.history.append(event, now);
    this.last = event.id;
    this.subject.next(event);
    return Promise.resolve(event);
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
