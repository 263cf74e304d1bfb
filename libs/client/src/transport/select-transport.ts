import type { ClientOptions, WebSocketConstructor } from '../types.js';
import { autoTransport } from './auto-transport.js';
import { sseTransport } from './sse-transport.js';

/** The socket constructor for options.transport: WebSocket (default), SSE, or WebSocket with SSE fallback. */
export function transportFor(options: ClientOptions): WebSocketConstructor {
  if (options.transport === 'sse') return sseTransport(options.fetch);
  const impl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!impl) throw new Error('no WebSocket implementation: pass the `ws` package as options.WebSocket');
  return options.transport === 'auto' ? autoTransport(impl, options.fetch) : impl;
}
