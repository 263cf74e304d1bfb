import type { ErrorCode } from './codes.js';
import type { AnyEndpointPath } from './endpoints.js';
import type { EventPayloads, EventType } from './events.js';
import type { Role } from './roles.js';
import type { EventTypeOf } from './topics.js';

export const PROTOCOL_VERSION = 1 as const;
export const MAX_REF_LENGTH = 64;
export const MAX_TOPICS_PER_REQUEST = 50;
/** The WebSocket subprotocol for MessagePack frames in both directions (docs/PROTOCOL.md section 3). */
export const MSGPACK_SUBPROTOCOL = 'tracklight.msgpack.v1';

// ---- client to server ----

export interface MapFilter {
  bbox?: [number, number, number, number];
}
export interface AnomalyFilter {
  minSeverity?: 'low' | 'medium' | 'high' | 'critical';
}
export interface PackageFilter {
  carrier?: string;
  status?: string[];
}
/** Any topic: only events of these types (snapshots are still sent). */
export interface TypesFilter {
  types?: EventType[];
}
export type SubscriptionFilter = MapFilter & AnomalyFilter & PackageFilter & TypesFilter;

export interface SubscribeFrame {
  type: 'subscribe';
  ref?: string;
  data: { topics: string[]; since?: string; filter?: SubscriptionFilter };
}
export interface UnsubscribeFrame {
  type: 'unsubscribe';
  ref?: string;
  data: { topics: string[] };
}
export interface PingFrame {
  type: 'ping';
  ref?: string;
  data?: unknown;
}
export interface AuthFrame {
  type: 'auth';
  ref?: string;
  data: { token: string };
}
export type ClientFrame = SubscribeFrame | UnsubscribeFrame | PingFrame | AuthFrame;
export type ClientFrameType = ClientFrame['type'];
export const CLIENT_FRAME_TYPES = [
  'subscribe',
  'unsubscribe',
  'ping',
  'auth',
] as const satisfies readonly ClientFrameType[];

// ---- server to client ----

interface ServerFrameBase<T extends string, D> {
  type: T;
  ref?: string;
  data: D;
  /** ISO-8601 UTC. */
  timestamp: string;
}

export interface ConnectedData {
  connectionId: string;
  endpoint: AnyEndpointPath;
  userId: string;
  roles: Role[];
  topics: string[];
  heartbeatIntervalMs: number;
  protocolVersion: typeof PROTOCOL_VERSION;
  instanceId: string;
}

export type ConnectedFrame = ServerFrameBase<'connected', ConnectedData>;
export type SubscribedFrame = ServerFrameBase<'subscribed', { topics: string[]; recovered?: boolean }>;
export type UnsubscribedFrame = ServerFrameBase<'unsubscribed', { topics: string[] }>;
export type PongFrame = ServerFrameBase<'pong', { serverTime: string }>;
export type AuthenticatedFrame = ServerFrameBase<'authenticated', { expiresAt: string }>;
export interface SnapshotFrame<D = unknown> extends ServerFrameBase<'snapshot', D> {
  topic: string;
}
export interface ErrorData {
  code: ErrorCode;
  message: string;
  topics?: string[];
}
export type ErrorFrame = ServerFrameBase<'error', ErrorData>;

/** An event delivered on a topic: `topic` and `id` are always set. */
export interface EventFrame<K extends EventType = EventType> extends ServerFrameBase<K, EventPayloads[K]> {
  topic: string;
  id: string;
}

/** The event frames a subscriber of topic T can receive, as a discriminated union on `type`. */
export type TopicEventFrame<T extends string> = { [K in EventTypeOf<T>]: EventFrame<K> }[EventTypeOf<T>];

export type ReplyFrame = SubscribedFrame | UnsubscribedFrame | PongFrame | AuthenticatedFrame;
export type ServerFrame =
  ConnectedFrame | ReplyFrame | SnapshotFrame | ErrorFrame | { [K in EventType]: EventFrame<K> }[EventType];
export type ServerFrameType = ServerFrame['type'];
/** Server frames that are not events: replies, notices, snapshots. */
export type NoticeFrameType = Exclude<ServerFrameType, EventType>;
/** The `data` a server frame of this type carries. */
export type ServerFrameData<F extends ServerFrameType> = Extract<ServerFrame, { type: F }>['data'];
