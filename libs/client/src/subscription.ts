import type { ServerFrame, SubscriptionFilter } from '@tracklight/protocol';

export interface SubscribeOptions {
  filter?: SubscriptionFilter;
}

/** Where a topic stands, as in centrifuge-js: held but not (yet, or no longer) confirmed is `subscribing`. */
export const SubscriptionState = {
  Unsubscribed: 'unsubscribed',
  Subscribing: 'subscribing',
  Subscribed: 'subscribed',
} as const;
export type SubscriptionState = (typeof SubscriptionState)[keyof typeof SubscriptionState];

export interface Subscription {
  readonly topic: string;
  /** Settles with the first `subscribed` reply (or the `error` that refused the topic). */
  readonly ready: Promise<void>;
  /** Read at any time: follows reconnects, refusals and `unsubscribe()`. */
  readonly state: SubscriptionState;
  unsubscribe(): void;
}

export type AnyHandler = (message: never) => void;

/** Snapshot plus events since, replayed to late handlers: bounded so a busy topic cannot grow it forever. */
const MAX_CACHED_STATE = 500;

/** One held topic: its handlers, its filter, whether the server confirmed it, and its cached state. */
export class TopicEntry {
  readonly handlers = new Set<AnyHandler>();
  /** Confirmed by the server on the current connection. */
  active = false;
  /** Was confirmed on some connection, so a reconnect must resume it rather than start fresh. */
  everActive = false;
  readonly ready: Promise<void>;
  private settleReady!: (err?: Error) => void;
  private cached: ServerFrame[] = [];

  constructor(public filter: SubscriptionFilter | undefined) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (err) => (err ? reject(err) : resolve());
    });
    // Callers that never await `ready` must not see an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  get state(): SubscriptionState {
    return this.active ? SubscriptionState.Subscribed : SubscriptionState.Subscribing;
  }

  confirm(): void {
    this.active = this.everActive = true;
    this.settleReady();
  }

  settle(err: Error): void {
    this.settleReady(err);
  }

  /** A second handler on a held topic gets no new snapshot from the server: give it the cached state. */
  addHandler(handler: AnyHandler): void {
    this.handlers.add(handler);
    if (!this.cached.length) return;
    const replay = [...this.cached];
    queueMicrotask(() => {
      if (!this.handlers.has(handler)) return;
      for (const frame of replay) (handler as (message: ServerFrame) => void)(frame);
    });
  }

  dispatch(frame: ServerFrame): void {
    if (frame.type === 'snapshot') this.cached = [frame];
    else if (this.cached.length && this.cached.length < MAX_CACHED_STATE) this.cached.push(frame);
    for (const handler of [...this.handlers]) {
      try {
        (handler as (message: ServerFrame) => void)(frame);
      } catch (err) {
        // A throwing handler must not break delivery to the others or the socket loop.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
