import { ErrorCode } from '../codes.js';
import { ENDPOINTS, RESOURCE_ENDPOINTS, SSE_PATH } from '../endpoints.js';
import type { EventType } from '../events.js';
import { EVENT_TYPES } from '../topics.js';
import {
  PROTOCOL_VERSION,
  type AuthenticatedFrame,
  type ConnectedData,
  type ErrorData,
  type PongFrame,
  type ReplyFrame,
  type SubscribedFrame,
  type UnsubscribedFrame,
} from '../frames.js';
import { ROLES } from '../roles.js';
import { EVENT_PAYLOAD_SCHEMAS } from './events.schema.js';
import {
  array,
  boolean,
  dateTime,
  integer,
  object,
  string,
  type JsonSchema,
  type ObjectSchema,
} from './json-schema.js';

/** Every server frame: `{ type, ref?, topic?, id?, data, timestamp }` (docs/PROTOCOL.md section 3). */
function serverFrame(
  type: string,
  data: JsonSchema,
  options: { topic?: boolean; id?: boolean; ref?: boolean; description: string },
): ObjectSchema {
  const properties: Record<string, JsonSchema> = { type: string({ const: type }) };
  const required = ['type', 'data', 'timestamp'];
  if (options.ref) properties.ref = string({ maxLength: 64, description: 'The request ref, when it had one' });
  if (options.topic) {
    properties.topic = string();
    required.push('topic');
  }
  if (options.id) {
    properties.id = string({ description: 'Opaque, unique and ordered: resume with since' });
    required.push('id');
  }
  properties.data = data;
  properties.timestamp = dateTime('ISO-8601 UTC');
  return { type: 'object', properties, required, additionalProperties: false, description: options.description };
}

const connectedData = object<ConnectedData>({
  connectionId: string(),
  endpoint: string({ enum: [...Object.keys(ENDPOINTS), ...Object.keys(RESOURCE_ENDPOINTS), SSE_PATH] }),
  userId: string(),
  roles: array(string({ enum: ROLES })),
  topics: array(string(), { description: "The endpoint's auto-subscriptions" }),
  heartbeatIntervalMs: integer({ minimum: 1 }),
  protocolVersion: integer({ const: PROTOCOL_VERSION }),
  instanceId: string(),
});

const errorData = object<ErrorData>({
  code: string({ enum: Object.values(ErrorCode) }),
  message: string(),
  topics: { ...array(string(), { description: 'The offending topics' }), optional: true },
});

type ReplyType = ReplyFrame['type'];

/** Replies and notices; `satisfies` ties the reply set to ReplyFrame. */
const REPLY_SCHEMAS = {
  subscribed: serverFrame(
    'subscribed',
    object<SubscribedFrame['data']>({
      topics: array(string()),
      recovered: {
        ...boolean({ description: 'Set when since was given: false means snapshots follow' }),
        optional: true,
      },
    }),
    { ref: true, description: 'The subscribe succeeded' },
  ),
  unsubscribed: serverFrame('unsubscribed', object<UnsubscribedFrame['data']>({ topics: array(string()) }), {
    ref: true,
    description: 'The unsubscribe succeeded',
  }),
  pong: serverFrame('pong', object<PongFrame['data']>({ serverTime: dateTime() }), {
    ref: true,
    description: 'Answer to ping',
  }),
  authenticated: serverFrame('authenticated', object<AuthenticatedFrame['data']>({ expiresAt: dateTime() }), {
    ref: true,
    description: 'The fresh token was accepted',
  }),
} satisfies { readonly [K in ReplyType]: ObjectSchema };

/** Every server message by name: control frames, then one per event type. */
export const SERVER_FRAME_SCHEMAS: Record<string, ObjectSchema> = {
  connected: serverFrame('connected', connectedData, { description: 'First frame of every accepted connection' }),
  ...REPLY_SCHEMAS,
  snapshot: serverFrame(
    'snapshot',
    {
      type: 'object',
      properties: {},
      required: [],
      additionalProperties: true,
      description: 'The current state of the topic: the same object as its HTTP route',
    },
    { topic: true, description: 'State of a topic that describes one thing, after subscribed' },
  ),
  error: serverFrame('error', errorData, { ref: true, description: 'A refused request, or a notice before a close' }),
  ...Object.fromEntries(
    EVENT_TYPES.map((type: EventType) => [
      type,
      serverFrame(type, EVENT_PAYLOAD_SCHEMAS[type], {
        topic: true,
        id: true,
        description: EVENT_PAYLOAD_SCHEMAS[type].description ?? type,
      }),
    ]),
  ),
};
