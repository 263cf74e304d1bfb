import type { WebSocketConstructor, WebSocketLike } from '../types.js';

const OPEN = 1;

export interface SocketHandlers {
  onMessage(data: unknown): void;
  onClose(code: number, reason: string): void;
}

/**
 * Opens a socket to `url` carrying the token as a query parameter (browsers cannot set headers on
 * a WebSocket upgrade). Throws what the constructor throws: an invalid URL, a refused scheme.
 */
export function openSocket(
  WebSocketImpl: WebSocketConstructor,
  url: string,
  token: string | undefined,
  handlers: SocketHandlers,
): WebSocketLike {
  const target = new URL(url);
  if (token) target.searchParams.set('token', token);
  const ws = new WebSocketImpl(target.toString());
  ws.onmessage = (event: { data: unknown }) => handlers.onMessage(event.data);
  ws.onclose = (event: { code: number; reason: string }) => handlers.onClose(event.code, event.reason);
  // Keep an error listener for the socket's whole life: `ws` throws on an unhandled 'error'.
  ws.onerror = () => undefined;
  return ws;
}

/** True when a frame written now reaches the server (the socket may lag the connection status). */
export function isWritable(ws: WebSocketLike | undefined): boolean {
  return ws !== undefined && ws.readyState === OPEN;
}

/** A socket we let go of may still fire while it closes: nothing it says may reach us any more. */
export function silence(ws: WebSocketLike): void {
  ws.onmessage = () => undefined;
  ws.onclose = () => undefined;
  ws.onopen = () => undefined;
}

/** Closing a socket that never opened, or is already closing, may throw in some implementations. */
export function closeQuietly(ws: WebSocketLike, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // It is gone either way.
  }
}
