import {
  CLIENT_FRAME_TYPES,
  CloseCode,
  ENDPOINTS,
  MSGPACK_SUBPROTOCOL,
  PROTOCOL_VERSION,
  RESOURCE_ENDPOINTS,
  TOPICS,
  topicDeclaration,
  type AnyEndpointPath,
  type EndpointPath,
} from '@tracklight/protocol';
// Relative on purpose: the build rewrites the @tracklight aliases to this same relative path, and
// no alias of the schema entry point has to be added to every tool's configuration.
import {
  CLIENT_FRAME_SCHEMAS,
  SERVER_FRAME_SCHEMAS,
  type JsonSchema,
  type ObjectSchema,
} from '../../../../libs/protocol/src/schema/index.js';

interface Message {
  name: string;
  title: string;
  summary?: string;
  payload: JsonSchema;
}
interface Channel {
  address: string;
  title: string;
  description: string;
  messages: Record<string, { $ref: string }>;
  bindings: Record<string, unknown>;
  parameters?: Record<string, { description: string }>;
}
export type AsyncApiDocument = Record<string, unknown> & {
  asyncapi: '3.0.0';
  channels: Record<string, Channel>;
  components: {
    messages: Record<string, Message>;
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, unknown>;
  };
};

/** One line per topic family, from its declaration in libs/protocol (topic-registry.ts). */
function topicLine(family: keyof typeof TOPICS): string {
  const d = topicDeclaration(family);
  const name = family.endsWith(':') ? `${family}{${d.key ?? 'key'}}` : family;
  const readers = [d.read?.owner && `owner (${d.read.owner})`, ...(d.read?.roles ?? [])].filter(Boolean);
  const facts = [
    `readers: ${readers.length ? readers.join(', ') : 'any user'}`,
    d.snapshot && `snapshot: ${d.snapshot.description}`,
    d.filters?.length && `filter: ${d.filters.join(', ')}`,
    d.conflateBy && `conflated by ${d.conflateBy}`,
    d.stored && 'stored',
  ].filter(Boolean);
  return `${name} -> ${d.events.join('|')} (${facts.join('; ')})`;
}

const channelId = (path: AnyEndpointPath): string => path.slice(1).replace(/[{}]/g, '').replaceAll('/', '_');

/**
 * The AsyncAPI 3.0 document of the WebSocket protocol, generated from libs/protocol: endpoints,
 * client and server frame schemas (checked against the TypeScript wire types at compile time),
 * topics and their event types, close codes. Describes the gateway: it receives client frames
 * and sends server frames on every endpoint.
 */
export function buildAsyncApiDocument(server: { host: string; secure: boolean }): AsyncApiDocument {
  const schemas: Record<string, ObjectSchema> = {};
  const messages: AsyncApiDocument['components']['messages'] = {};
  const clientRefs: Record<string, { $ref: string }> = {};
  const serverRefs: Record<string, { $ref: string }> = {};
  for (const type of CLIENT_FRAME_TYPES) {
    const name = `client_${type}`;
    schemas[name] = CLIENT_FRAME_SCHEMAS[type];
    messages[name] = {
      name: type,
      title: `${type} (client to server)`,
      summary: CLIENT_FRAME_SCHEMAS[type].description,
      payload: { $ref: `#/components/schemas/${name}` },
    };
    clientRefs[name] = { $ref: `#/components/messages/${name}` };
  }
  for (const [type, schema] of Object.entries(SERVER_FRAME_SCHEMAS)) {
    const name = `server_${type}`;
    schemas[name] = schema;
    messages[name] = {
      name: type,
      title: `${type} (server to client)`,
      summary: schema.description,
      payload: { $ref: `#/components/schemas/${name}` },
    };
    serverRefs[name] = { $ref: `#/components/messages/${name}` };
  }

  const channels: AsyncApiDocument['channels'] = {};
  const operations: Record<string, unknown> = {};
  const channelsOf: [AnyEndpointPath, string][] = (Object.keys(ENDPOINTS) as EndpointPath[]).map((path) => {
    const auto: readonly string[] = ENDPOINTS[path];
    return [
      path,
      auto.length
        ? `Subscribes on connect to: ${auto.join(', ')}. Any other topic with subscribe.`
        : 'Subscribes to nothing on connect: use subscribe.',
    ];
  });
  for (const [path, { family }] of Object.entries(RESOURCE_ENDPOINTS)) {
    channelsOf.push([
      path as AnyEndpointPath,
      `Per-resource endpoint: subscribes on connect to ${family}{key} and sends its snapshot (or, with since, ` +
        'its resume: subscribed with recovered, then the events). An unknown resource gets error UNKNOWN_TOPIC ' +
        'and close 4404; a schedule of another user (not admin) FORBIDDEN and 4403; past ' +
        'WS_MAX_SUBSCRIBERS_PER_RESOURCE, LIMIT_EXCEEDED and 4429. Every client message works here too.',
    ]);
  }
  for (const [path, description] of channelsOf) {
    const id = channelId(path);
    const param = /\{(\w+)\}/.exec(path)?.[1];
    const query: Record<string, unknown> = {
      token: { type: 'string', description: 'JWT (or an Authorization: Bearer header)' },
    };
    if (param) query.since = { type: 'string', description: 'Resume after this event id instead of a snapshot' };
    channels[id] = {
      address: path,
      title: path,
      description,
      messages: { ...clientRefs, ...serverRefs },
      bindings: { ws: { method: 'GET', query: { type: 'object', properties: query } } },
      ...(param && { parameters: { [param]: { description: `The ${param} of the resource followed` } } }),
    };
    operations[`${id}_receive`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      summary: `Client frames accepted on ${path}`,
      messages: Object.keys(clientRefs).map((m) => ({ $ref: `#/channels/${id}/messages/${m}` })),
    };
    operations[`${id}_send`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      summary: `Server frames sent on ${path}`,
      messages: Object.keys(serverRefs).map((m) => ({ $ref: `#/channels/${id}/messages/${m}` })),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Tracklight WebSocket protocol',
      version: String(PROTOCOL_VERSION),
      description:
        'Generated at runtime from libs/protocol (docs/PROTOCOL.md is the reference). Every frame is a UTF-8 JSON ' +
        `object in a text frame, or, on a connection that negotiated the subprotocol ${MSGPACK_SUBPROTOCOL}, ` +
        'the same object in MessagePack in a binary frame, both ways (a text frame there is INVALID_MESSAGE). ' +
        'A text frame holding exactly ping is answered with the text pong (rate-limited like any message). ' +
        'With WS_COMPRESSION=on, permessage-deflate is accepted; frames under 1 KiB stay uncompressed. ' +
        'Event frames carry topic and id; resume with subscribe.since. ' +
        `Topics and their event types: ${(Object.keys(TOPICS) as (keyof typeof TOPICS)[])
          .map(topicLine)
          .join('; ')}. Close codes: ${Object.entries(CloseCode)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}.`,
    },
    defaultContentType: 'application/json',
    servers: {
      gateway: {
        host: server.host,
        protocol: server.secure ? 'wss' : 'ws',
        description: 'This gateway instance',
        security: [{ $ref: '#/components/securitySchemes/jwt' }],
      },
    },
    channels,
    operations,
    components: {
      schemas,
      messages,
      securitySchemes: {
        jwt: { type: 'httpApiKey', name: 'token', in: 'query', description: 'JWT in the token query parameter' },
      },
    },
  };
}
