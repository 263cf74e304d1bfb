import type { IntervalHistogram } from 'node:perf_hooks';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { EventCounts, topicFamily } from './event-counts.js';
import { LeanHistogram } from './lean-histogram.js';
import { EVENT_LOOP_SAMPLE_MS, lagBeyondPeriodNs, loopDelayMonitor } from '../runtime/event-loop-sampling.js';

/** What the gateway exposes for scrape-time gauges; bound once by the ConnectionRegistry. */
export interface GatewaySource {
  framesIn(): number;
  framesOut(): number;
  connectionsByEndpoint(): Record<string, number>;
  subscribersByTopic(): Record<string, number>;
}

/** Where a token was refused. */
export type AuthTransport = 'ws_upgrade' | 'ws_auth' | 'sse';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of this instance (GET /metrics). The hot path only bumps plain numbers and
 * observes two label-free histograms once per event, never per client: counters are turned into
 * Prometheus samples when scraped (`collect`), and gauges are read from the gateway at that time.
 * One Registry per application, so several apps in one process (tests) do not collide.
 */
@Injectable()
export class GatewayMetrics implements OnModuleDestroy {
  readonly registry = new Registry();

  /** Events a slow client did not get because a newer value of the same key replaced them. */
  conflated = 0;
  /** Events not written: the client was closing, or its backlog was discarded at 4409. */
  droppedEvents = 0;
  /** Event frames written to clients (one per event and recipient). */
  deliveries = 0;
  /**
   * Client frames dropped by the per-connection rate limit, and those a client sent beyond that
   * bound before its connection was admitted.
   */
  rateLimited = 0;

  private readonly eventCounts = new EventCounts();
  private source: GatewaySource | undefined;
  private readonly loop: IntervalHistogram = loopDelayMonitor();
  private lastTimestamp = '';
  private lastPublishedAt = Number.NaN;
  private readonly publishToSend: LeanHistogram;
  private readonly busLag: LeanHistogram;
  private readonly closes: Counter<'code'>;
  private readonly authFailures: Counter<'reason' | 'transport'>;
  private readonly upgradeRefusals: Counter<'status'>;
  private readonly httpResponses = new Map<number, number>();

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    // Gauges named like counters, which promtool rejects; each is the sum of the `type`-labelled
    // gauge of the same name without `_total` (nodejs_active_handles{type=...}), which stays.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      this.registry.removeSingleMetric(name);
    this.loop.enable();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- collect() runs with the metric as `this`
    const self = this;

    new Gauge({
      name: 'tracklight_ws_connections',
      help: 'Open WebSocket connections by endpoint',
      labelNames: ['endpoint'],
      registers,
      collect() {
        this.reset();
        for (const [endpoint, n] of Object.entries(self.source?.connectionsByEndpoint() ?? {})) {
          this.set({ endpoint }, n);
        }
      },
    });
    new Gauge({
      name: 'tracklight_ws_subscriptions',
      help: 'Subscriptions by topic (package:* and schedule:* aggregated)',
      labelNames: ['topic'],
      registers,
      collect() {
        this.reset();
        const byFamily = new Map<string, number>();
        for (const [topic, n] of Object.entries(self.source?.subscribersByTopic() ?? {})) {
          const family = topicFamily(topic);
          byFamily.set(family, (byFamily.get(family) ?? 0) + n);
        }
        for (const [topic, n] of byFamily) this.set({ topic }, n);
      },
    });
    plainCounter(registers, 'tracklight_ws_frames_received_total', 'Client frames received', () =>
      self.source ? self.source.framesIn() : 0,
    );
    plainCounter(
      registers,
      'tracklight_ws_frames_sent_total',
      'Frames sent to clients (events, replies, errors)',
      () => (self.source ? self.source.framesOut() : 0),
    );
    plainCounter(
      registers,
      'tracklight_ws_client_frames_rate_limited_total',
      'Client frames dropped by the per-connection rate limit (answered RATE_LIMITED, or sent beyond it before admission)',
      () => self.rateLimited,
    );
    plainCounter(
      registers,
      'tracklight_ws_event_deliveries_total',
      'Event frames written to clients (one per event and recipient)',
      () => self.deliveries,
    );
    plainCounter(
      registers,
      'tracklight_ws_events_dropped_total',
      'Events not sent to a client: it was closing, or its backlog was discarded when closed 4409',
      () => self.droppedEvents,
    );
    plainCounter(
      registers,
      'tracklight_ws_events_conflated_total',
      'map_updates / dashboard_metrics events a lagging client skipped because a newer value replaced them',
      () => self.conflated,
    );
    new Counter({
      name: 'tracklight_events_total',
      help: 'Events received from the bus by this instance, by topic (families aggregated) and type',
      labelNames: ['topic', 'type'],
      registers,
      collect() {
        this.reset();
        for (const [topic, type, n] of self.eventCounts.entries()) this.inc({ topic, type }, n);
      },
    });
    this.closes = new Counter({
      name: 'tracklight_ws_closes_total',
      help: 'WebSocket connections closed, by close code (refused connections included)',
      labelNames: ['code'],
      registers,
    });
    this.authFailures = new Counter({
      name: 'tracklight_auth_failures_total',
      help: 'Tokens refused on WebSocket connects and auth messages, by reason',
      labelNames: ['reason', 'transport'],
      registers,
    });
    this.upgradeRefusals = new Counter({
      name: 'tracklight_ws_upgrades_refused_total',
      help: 'WebSocket upgrades answered with an HTTP error (404 path, 403 origin, 429 handshake rate)',
      labelNames: ['status'],
      registers,
    });
    new Counter({
      name: 'tracklight_http_responses_total',
      help: 'HTTP answers of the REST API by status (401 token, 403 role, 400 body, 429 rate limit...)',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        for (const [status, n] of self.httpResponses) this.inc({ status: String(status) }, n);
      },
    });
    this.publishToSend = new LeanHistogram(
      'tracklight_ws_publish_to_send_seconds',
      'From publish (event timestamp) until the event was written to every subscriber of this instance',
      LATENCY_BUCKETS,
      this.registry,
    );
    this.busLag = new LeanHistogram(
      'tracklight_bus_lag_seconds',
      'From publish (event timestamp) until the event reached this instance from the bus',
      LATENCY_BUCKETS,
      this.registry,
    );
    // Three gauges rather than one with a `quantile` label: that label belongs to summaries, whose
    // _sum and _count a windowed p50/p99/max cannot provide (promtool rejects the gauge). All three
    // read one window, which the last one collected ends.
    const lag = (name: string, help: string, ns: (h: IntervalHistogram) => number, last = false) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const h = self.loop;
          this.set(h.count ? lagBeyondPeriodNs(ns(h)) / 1e9 : 0);
          if (last) h.reset();
        },
      });
    lag('tracklight_event_loop_lag_p50_seconds', 'Event-loop lag since the previous scrape, median', (h) =>
      h.percentile(50),
    );
    lag('tracklight_event_loop_lag_p99_seconds', 'Event-loop lag since the previous scrape, p99', (h) =>
      h.percentile(99),
    );
    lag(
      'tracklight_event_loop_lag_max_seconds',
      'Event-loop lag since the previous scrape, maximum',
      (h) => h.max,
      true,
    );
  }

  onModuleDestroy(): void {
    this.loop.disable();
  }

  /** Everything dropped, events and client frames: GET /ws/status's `messages.dropped`. */
  get dropped(): number {
    return this.droppedEvents + this.rateLimited;
  }

  bindGateway(source: GatewaySource): void {
    this.source = source;
  }

  /**
   * Once per bus event, before the fan-out: counts it by topic and type and records the bus lag.
   * Returns the publish time (epoch ms) for `eventSent`, NaN when the timestamp is unreadable.
   */
  eventReceived(topic: string, type: string, timestamp: string): number {
    this.eventCounts.add(topic, type);
    // Events published in the same millisecond share their timestamp text: parse it once (Date.parse
    // was a quarter of this method's cost).
    if (timestamp !== this.lastTimestamp) {
      this.lastTimestamp = timestamp;
      this.lastPublishedAt = Date.parse(timestamp);
    }
    const publishedAt = this.lastPublishedAt;
    if (!Number.isNaN(publishedAt)) this.busLag.observe(Math.max(0, Date.now() - publishedAt) / 1000);
    return publishedAt;
  }

  /** Once per event, after it was written to every subscriber: adds the deliveries in one go. */
  eventSent(publishedAt: number, deliveries: number): void {
    this.deliveries += deliveries;
    if (deliveries > 0 && !Number.isNaN(publishedAt)) {
      this.publishToSend.observe(Math.max(0, Date.now() - publishedAt) / 1000);
    }
  }

  closed(code: number | undefined): void {
    this.closes.inc({ code: String(code ?? 'none') });
  }

  authFailed(reason: string, transport: AuthTransport): void {
    this.authFailures.inc({ reason, transport });
  }

  httpResponse(status: number): void {
    this.httpResponses.set(status, (this.httpResponses.get(status) ?? 0) + 1);
  }

  upgradeRefused(status: number): void {
    this.upgradeRefusals.inc({ status: String(status) });
  }
}

/** A label-free counter whose value is read from a plain number when scraped. */
function plainCounter(registers: Registry[], name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers,
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
