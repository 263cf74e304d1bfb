import type { ClientFrame } from '@tracklight/protocol';
import type { WebSocket } from 'ws';

/** A `@SubscribeMessage` method of the gateway, bound to its instance: `(client, frame)`. */
export type MessageRoute = (ws: WebSocket, frame: ClientFrame) => unknown;

// The metadata keys @SubscribeMessage writes (@nestjs/websockets constants.js); not exported publicly.
const MESSAGE_MAPPING_METADATA = 'websockets:message_mapping';
const MESSAGE_METADATA = 'message';

/**
 * The `@SubscribeMessage` methods of a gateway instance, by message name, read from the same
 * metadata Nest's own explorer reads. The dispatcher calls these directly instead of the wrappers
 * Nest builds, which run the global pipes, guards and interceptors on every frame: frames are
 * validated by parseClientFrame and topics authorised per subscription, so that work (several
 * promises and a ValidationPipe pass per message) would buy nothing on the hottest inbound path.
 */
export function messageRoutes(instance: object): Map<string, MessageRoute> {
  const routes = new Map<string, MessageRoute>();
  const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = proto[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    if (Reflect.getMetadata(MESSAGE_MAPPING_METADATA, method) === undefined) continue;
    const message = Reflect.getMetadata(MESSAGE_METADATA, method) as unknown;
    if (typeof message === 'string') routes.set(message, (method as MessageRoute).bind(instance));
  }
  return routes;
}
