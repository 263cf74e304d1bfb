import WebSocket from 'ws';
import type { Anomaly, DashboardMetrics, MapUpdate, Notification, PackageUpdate } from '@tracklight/protocol';

export interface Frame {
  type: string;
  ref?: string;
  topic?: string;
  id?: string;
  // Received JSON: tests assert on it field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  timestamp: string;
}
type Match = string | ((frame: Frame) => boolean);

export interface ConnectOptions {
  /** Sent as the `token` query parameter unless `header` is set. */
  token?: string;
  /** Send the token as `Authorization: Bearer` instead of in the query. */
  header?: boolean;
  headers?: Record<string, string>;
  /** Passed to ws: e.g. `{ autoPong: false }` for a peer that ignores pings. */
  wsOptions?: WebSocket.ClientOptions;
}

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A real `ws` client for the e2e suites: records every frame, lets a test wait for the next frame
 * of a type (each frame is handed out once, in arrival order), and exposes the close as a promise.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly closed: Promise<Closed>;
  readonly opened: Promise<void>;
  private readonly taken = new Set<Frame>();
  private waiters: { match: Match; resolve: (f: Frame) => void }[] = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, options);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data, isBinary) => {
      const frame = JSON.parse(isBinary ? '{}' : (data as Buffer).toString('utf8')) as Frame;
      this.frames.push(frame);
      const i = this.waiters.findIndex((w) => matches(w.match, frame));
      if (i >= 0) {
        this.taken.add(frame);
        const [w] = this.waiters.splice(i, 1);
        w.resolve(frame);
      }
    });
  }

  /** The next not yet handed-out frame matching `match` (a type, or a predicate). */
  next(match: Match = () => true, timeoutMs = 5_000): Promise<Frame> {
    const ready = this.frames.find((f) => !this.taken.has(f) && matches(match, f));
    if (ready) {
      this.taken.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.frames.map((f) => f.type + (f.topic ? `:${f.topic}` : '')).join(', ');
        reject(new Error(`no frame matching ${describe(match)} within ${timeoutMs} ms; got [${seen}]`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Every frame so far that matches, handed out or not. */
  all(match: Match): Frame[] {
    return this.frames.filter((f) => matches(match, f));
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a request and waits for the reply carrying the same ref. */
  async request(type: string, data?: unknown, ref = `r${Math.random().toString(36).slice(2, 10)}`): Promise<Frame> {
    const reply = this.next((f) => f.ref === ref);
    this.send(data === undefined ? { type, ref } : { type, ref, data });
    return reply;
  }

  close(code = 1000): Promise<Closed> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
    return this.closed;
  }

  terminate(): void {
    this.ws.terminate();
  }
}

function matches(match: Match, frame: Frame): boolean {
  return typeof match === 'string' ? frame.type === match : match(frame);
}

function describe(match: Match): string {
  return typeof match === 'string' ? `type "${match}"` : 'predicate';
}

/** Opens a client on `path` of the app at base URL `ws` (TestApp.ws). */
export function connect(base: string, path: string, options: ConnectOptions = {}): TestClient {
  const headers: Record<string, string> = { ...options.headers };
  let url = `${base}${path}`;
  if (options.token !== undefined) {
    if (options.header) headers.authorization = `Bearer ${options.token}`;
    else url += `${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(options.token)}`;
  }
  return new TestClient(url, { headers, ...options.wsOptions });
}

/** Connects and waits for the `connected` frame. */
export async function connected(base: string, path: string, options: ConnectOptions = {}): Promise<TestClient> {
  const client = connect(base, path, options);
  await client.next('connected');
  return client;
}

// ---- payload fixtures for publishing through the bus in the gateway suites ----

/** Valid event payloads, overridable field by field. */
export const packageUpdate = (over: Partial<PackageUpdate> = {}): PackageUpdate => ({
  packageId: 'p1',
  trackingNumber: 'TN1',
  status: 'in_transit',
  location: 'Lyon',
  latitude: 45.7,
  longitude: 4.8,
  carrier: 'DHL',
  estimatedDelivery: '2026-12-01T00:00:00.000Z',
  lastScanTime: '2026-11-22T00:00:00.000Z',
  version: 1,
  ...over,
});

export const mapUpdate = (over: Partial<MapUpdate> = {}): MapUpdate => ({
  packageId: 'p1',
  trackingNumber: 'TN1',
  latitude: 0,
  longitude: 0,
  status: 'in_transit',
  ...over,
});

export const anomaly = (over: Partial<Anomaly> = {}): Anomaly => ({
  anomalyId: 'a1',
  packageId: 'p1',
  trackingNumber: 'TN1',
  anomalyType: 'delay',
  severity: 'medium',
  description: 'late',
  recommendedAction: 'call the carrier',
  confidenceScore: 0.8,
  detectedAt: '2026-11-22T00:00:00.000Z',
  ...over,
});

export const dashboardMetrics = (over: Partial<DashboardMetrics> = {}): DashboardMetrics => ({
  totalPackages: 0,
  inTransit: 0,
  delivered: 0,
  delayed: 0,
  openAnomalies: 0,
  recoveryRate: 0,
  avgDeliveryHours: 0,
  ...over,
});

export const notification = (over: Partial<Notification> = {}): Notification => ({
  notificationId: 'n1',
  level: 'info',
  title: 'Hello',
  message: 'World',
  ...over,
});
