import {
  CLIENT_FRAME_LIMITS as L,
  CLIENT_FRAME_TYPES,
  ErrorCode,
  type ClientFrame,
  type SubscribeFrame,
} from '@tracklight/protocol';
import { parseClientFrame, validateClientObject, type ParseResult } from '@tracklight/protocol/validation';

const TYPES: ReadonlySet<string> = new Set(CLIENT_FRAME_TYPES);
// The fields the fast path accepts, checked against the frame types; anything else (a filter, an
// unknown key) goes to the full validator.
const FRAME_KEYS = ['type', 'ref', 'data'] as const satisfies readonly (keyof SubscribeFrame)[];
const SUBSCRIBE_KEYS = ['topics', 'since'] as const satisfies readonly (keyof SubscribeFrame['data'])[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(obj: Record<string, unknown>, a: string, b?: string, c?: string): boolean {
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    if (key !== a && key !== b && key !== c) return false;
  }
  return true;
}

function simpleTopics(value: unknown): value is string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > L.topicsPerRequest) return false;
  for (const t of value) if (typeof t !== 'string' || t.length > L.topicLength) return false;
  return true;
}

/**
 * parseClientFrame, with the everyday frames (ping, and subscribe/unsubscribe without a filter)
 * checked by hand instead of through class-validator. The fast checks read the same
 * CLIENT_FRAME_LIMITS as the DTOs and the JSON Schema and accept a subset of what the DTOs do; anything they do not clearly accept goes to the full validator, which therefore still
 * produces every error answer. fast-frame.spec.ts checks both agree on generated frames.
 */
export function parseFrame(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return parseClientFrame(text);
  }
  if (!isPlainObject(raw)) return parseClientFrame(text);
  const frame = fastFrame(raw);
  return frame ? { ok: true, frame } : validateClientObject(raw);
}

/**
 * A MessagePack client's frame, already decoded: the same checks as a JSON frame's object.
 * Anything but a map is answered like a JSON frame that is not an object.
 */
export function parseObjectFrame(raw: unknown): ParseResult {
  // msgpackr decodes a few reserved bytes (0xc1) and extensions to class instances: not a map.
  if (!isPlainObject(raw) || Object.getPrototypeOf(raw) !== Object.prototype) {
    return { ok: false, code: ErrorCode.INVALID_JSON, message: 'Frame must be a MessagePack map' };
  }
  const frame = fastFrame(raw);
  return frame ? { ok: true, frame } : validateClientObject(raw);
}

function fastFrame(raw: Record<string, unknown>): ClientFrame | undefined {
  const { type, ref, data } = raw;
  if (typeof type !== 'string' || !TYPES.has(type) || !onlyKeys(raw, ...FRAME_KEYS)) return undefined;
  if (ref !== undefined && (typeof ref !== 'string' || ref.length > L.refLength)) return undefined;
  let frame: ClientFrame;
  switch (type) {
    case 'ping':
      frame = { type, data };
      break;
    case 'subscribe': {
      if (!isPlainObject(data) || !onlyKeys(data, ...SUBSCRIBE_KEYS) || !simpleTopics(data.topics)) return undefined;
      const since = data.since;
      if (since !== undefined && (typeof since !== 'string' || since.length < 1 || since.length > L.sinceLength)) {
        return undefined;
      }
      frame =
        since === undefined ? { type, data: { topics: data.topics } } : { type, data: { topics: data.topics, since } };
      break;
    }
    case 'unsubscribe':
      if (!isPlainObject(data) || !onlyKeys(data, 'topics') || !simpleTopics(data.topics)) return undefined;
      frame = { type, data: { topics: data.topics } };
      break;
    default:
      return undefined; // auth: rare, the full validator handles it
  }
  if (ref !== undefined) frame.ref = ref;
  return frame;
}
