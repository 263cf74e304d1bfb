import { SEVERITIES, PACKAGE_STATUSES } from '../events.js';
import { EVENT_TYPES } from '../topics.js';
import { CLIENT_FRAME_LIMITS as L } from '../client-frame-limits.js';
import {
  type AuthFrame,
  type ClientFrameType,
  type PingFrame,
  type SubscribeFrame,
  type SubscriptionFilter,
  type UnsubscribeFrame,
} from '../frames.js';
import { array, number, object, string, type ObjectSchema } from './json-schema.js';

// The bounds come from client-frame-limits.ts, as do the DTOs' and the gateway fast path's;
// test/asyncapi checks this schema and the parser agree on generated frames.
const ref = string({ maxLength: L.refLength, description: 'Echoed in the reply' });
const topics = array(string({ maxLength: L.topicLength }), { minItems: 1, maxItems: L.topicsPerRequest });

const filter = object<SubscriptionFilter>(
  {
    bbox: {
      ...array(number({ minimum: -L.bboxDegrees, maximum: L.bboxDegrees }), {
        minItems: 4,
        maxItems: 4,
        description: '[west, south, east, north] in degrees; west > east crosses the antimeridian (map_updates)',
      }),
      optional: true,
    },
    minSeverity: { ...string({ enum: SEVERITIES, description: 'anomalies' }), optional: true },
    carrier: {
      ...string({ minLength: 1, maxLength: L.carrierLength, description: 'package_updates' }),
      optional: true,
    },
    status: {
      ...array(string({ enum: PACKAGE_STATUSES }), {
        minItems: 1,
        maxItems: PACKAGE_STATUSES.length,
        description: 'package_updates',
      }),
      optional: true,
    },
    types: {
      ...array(string({ enum: EVENT_TYPES }), {
        minItems: 1,
        maxItems: EVENT_TYPES.length,
        description: 'any topic: only events of these types (snapshots still sent); each must travel on the topic',
      }),
      optional: true,
    },
  },
  { description: 'Applies to every topic of the request that understands it; other keys are INVALID_MESSAGE' },
);

/** One schema per client message; `satisfies` makes a missing or extra message type an error. */
export const CLIENT_FRAME_SCHEMAS = {
  subscribe: object<SubscribeFrame>(
    {
      type: string({ const: 'subscribe' }),
      ref: { ...ref, optional: true },
      data: object<SubscribeFrame['data']>({
        topics,
        since: {
          ...string({ minLength: 1, maxLength: L.sinceLength, description: 'Last event id processed' }),
          optional: true,
        },
        filter: { ...filter, optional: true },
      }),
    },
    { description: 'Subscribe to topics (all or nothing); replies subscribed, or one error naming the topics' },
  ),
  unsubscribe: object<UnsubscribeFrame>(
    {
      type: string({ const: 'unsubscribe' }),
      ref: { ...ref, optional: true },
      data: object<UnsubscribeFrame['data']>({ topics }),
    },
    { description: 'Stop topics; replies unsubscribed (not holding a topic is not an error)' },
  ),
  ping: object<PingFrame>(
    {
      type: string({ const: 'ping' }),
      ref: { ...ref, optional: true },
      data: { description: 'Anything', optional: true },
    },
    { description: 'Application-level ping for browsers; replies pong' },
  ),
  auth: object<AuthFrame>(
    {
      type: string({ const: 'auth' }),
      ref: { ...ref, optional: true },
      data: object<AuthFrame['data']>({ token: string({ minLength: 1, maxLength: L.tokenLength }) }),
    },
    { description: 'A fresh token of the same user; replies authenticated, or error UNAUTHORIZED' },
  ),
} satisfies { readonly [K in ClientFrameType]: ObjectSchema };
