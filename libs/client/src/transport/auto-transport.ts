import type { WebSocketConstructor, WebSocketLike } from '../types.js';
import { SseTransport, type FetchLike } from './sse-transport.js';

/** How long the HTTP probe after a failed upgrade may take. */
const PROBE_MS = 5_000;

type Handler = ((event: unknown) => void) | undefined;

/**
 * WebSocket first; when a socket closes before it ever opened (a proxy refusing upgrades, a
 * network that blocks WebSocket) and `GET /health` still answers over plain HTTP, every later
 * connection of this client uses Server-Sent Events instead (SseTransport). The failed socket's
 * close reaches the client only after the probe, so its reconnect already takes the new path.
 */
export function autoTransport(WebSocketImpl: WebSocketConstructor, fetchImpl?: FetchLike): WebSocketConstructor {
  const doFetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
  let sse = false;
  const probe = async (url: string): Promise<boolean> => {
    const parsed = new URL(url);
    const http = `${parsed.protocol === 'wss:' ? 'https:' : 'http:'}//${parsed.host}/health`;
    try {
      await doFetch(http, { signal: AbortSignal.timeout(PROBE_MS) });
      return true; // any HTTP answer: the path works, only the upgrade does not
    } catch {
      return false;
    }
  };
  return class AutoSocket implements WebSocketLike {
    private readonly inner: WebSocketLike;
    private opened = false;
    onopen: unknown;
    onmessage: unknown;
    onclose: unknown;
    onerror: unknown;

    constructor(url: string) {
      this.inner = sse ? new SseTransport(url, doFetch) : new WebSocketImpl(url);
      const viaSse = sse;
      this.inner.onopen = (e: unknown) => {
        this.opened = true;
        (this.onopen as Handler)?.(e);
      };
      this.inner.onmessage = (e: unknown) => (this.onmessage as Handler)?.(e);
      this.inner.onerror = (e: unknown) => (this.onerror as Handler)?.(e);
      this.inner.onclose = (e: unknown) => {
        if (this.opened || viaSse) {
          (this.onclose as Handler)?.(e);
          return;
        }
        void probe(url).then((httpWorks) => {
          if (httpWorks) sse = true;
          (this.onclose as Handler)?.(e);
        });
      };
    }

    get readyState(): number {
      return this.inner.readyState;
    }

    /** Whether this connection is a Server-Sent Events stream. */
    get transport(): 'websocket' | 'sse' {
      return this.inner instanceof SseTransport ? 'sse' : 'websocket';
    }

    send(data: string): void {
      this.inner.send(data);
    }

    close(code?: number, reason?: string): void {
      this.inner.close(code, reason);
    }
  };
}
