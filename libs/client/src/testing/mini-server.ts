import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A small protocol-speaking WebSocket server for client-behaviour tests (close-code policy,
 * back-off, resume bookkeeping) where the real gateway cannot be made to misbehave on demand.
 * The real-gateway tests live in test/client.e2e-spec.ts.
 */
export interface MiniFrame {
  type: string;
  ref?: string;
  data?: Record<string, unknown>;
}

export interface MiniConnection {
  socket: WebSocket;
  token: string | null;
  topics: Set<string>;
  received: MiniFrame[];
}

export interface MiniServerOptions {
  /** Called for each connection before `connected`; return false to skip the default greeting. */
  onConnection?: (conn: MiniConnection) => boolean | void;
  /** Answer requests of this type (default: subscribe, unsubscribe, ping, auth). Return true when handled. */
  onFrame?: (conn: MiniConnection, frame: MiniFrame) => boolean | void;
  /** Snapshots sent after `subscribed` when no `since` was given or recovery failed. */
  snapshots?: Record<string, unknown>;
}

export class MiniServer {
  readonly connections: MiniConnection[] = [];
  readonly log: { id: string; topic: string; type: string; data: unknown }[] = [];
  /** Events at or before this id are no longer retained. */
  retainedFrom = 0;
  private seq = 0;
  private readonly wss: WebSocketServer;
  private readonly waiters: (() => void)[] = [];

  private constructor(
    wss: WebSocketServer,
    private readonly options: MiniServerOptions,
  ) {
    this.wss = wss;
    wss.on('connection', (socket, req) => this.accept(socket, req.url ?? '/'));
  }

  static async start(options: MiniServerOptions = {}): Promise<MiniServer> {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new MiniServer(wss, options);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/ws/connect`;
  }

  get last(): MiniConnection {
    return this.connections[this.connections.length - 1];
  }

  /** Resolves once the server has seen `count` connections in total. */
  async waitForConnections(count: number): Promise<void> {
    while (this.connections.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once some connection received a frame matching the predicate. */
  async waitForFrame(predicate: (frame: MiniFrame, conn: MiniConnection) => boolean): Promise<MiniFrame> {
    for (;;) {
      for (const conn of this.connections) {
        const hit = conn.received.find((f) => predicate(f, conn));
        if (hit) return hit;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  publish(topic: string, type: string, data: unknown): string {
    const id = `${1_000_000 + ++this.seq}-0`;
    this.log.push({ id, topic, type, data });
    for (const conn of this.connections) {
      if (conn.topics.has(topic)) this.sendEvent(conn, { id, topic, type, data });
    }
    return id;
  }

  sendEvent(conn: MiniConnection, event: { id: string; topic: string; type: string; data: unknown }): void {
    conn.socket.send(JSON.stringify({ ...event, timestamp: new Date().toISOString() }));
  }

  send(conn: MiniConnection, frame: Record<string, unknown>): void {
    conn.socket.send(JSON.stringify({ data: {}, timestamp: new Date().toISOString(), ...frame }));
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private accept(socket: WebSocket, url: string): void {
    const token = new URL(url, 'http://x').searchParams.get('token');
    const conn: MiniConnection = { socket, token, topics: new Set(), received: [] };
    this.connections.push(conn);
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as MiniFrame;
      conn.received.push(frame);
      if (!this.options.onFrame?.(conn, frame)) this.answer(conn, frame);
      this.notify();
    });
    if (this.options.onConnection?.(conn) !== false) {
      this.send(conn, {
        type: 'connected',
        data: {
          connectionId: `c${this.connections.length}`,
          endpoint: '/ws/connect',
          userId: 'u1',
          roles: ['viewer'],
          topics: [],
          heartbeatIntervalMs: 30000,
          protocolVersion: 1,
          instanceId: 'mini',
        },
      });
    }
    this.notify();
  }

  private answer(conn: MiniConnection, frame: MiniFrame): void {
    const ref = frame.ref;
    switch (frame.type) {
      case 'subscribe': {
        const { topics, since } = frame.data as { topics: string[]; since?: string };
        for (const t of topics) conn.topics.add(t);
        const sinceNum = since === undefined ? undefined : Number(since.split('-')[0]);
        const recovered = sinceNum === undefined ? undefined : sinceNum >= this.retainedFrom;
        this.send(conn, { type: 'subscribed', ref, data: { topics, ...(since ? { recovered } : {}) } });
        if (recovered) {
          for (const e of this.log) {
            if (topics.includes(e.topic) && Number(e.id.split('-')[0]) > sinceNum!) this.sendEvent(conn, e);
          }
        } else {
          for (const t of topics) {
            if (this.options.snapshots?.[t] !== undefined) {
              this.send(conn, { type: 'snapshot', topic: t, data: this.options.snapshots[t] });
            }
          }
        }
        return;
      }
      case 'unsubscribe': {
        const { topics } = frame.data as { topics: string[] };
        for (const t of topics) conn.topics.delete(t);
        this.send(conn, { type: 'unsubscribed', ref, data: { topics } });
        return;
      }
      case 'ping':
        this.send(conn, { type: 'pong', ref, data: { serverTime: new Date().toISOString() } });
        return;
      case 'auth':
        conn.token = (frame.data as { token: string }).token;
        this.send(conn, { type: 'authenticated', ref, data: { expiresAt: new Date().toISOString() } });
        return;
      default:
        this.send(conn, { type: 'error', ref, data: { code: 'UNKNOWN_TYPE', message: 'unknown type' } });
    }
  }
}
