import {
  CLIENT_FRAME_TYPES,
  ErrorCode,
  MAX_REF_LENGTH,
  MAX_TOPICS_PER_REQUEST,
  type ClientFrame,
} from '@tracklight/protocol';
import { parseClientFrame, validateClientObject, type ParseResult } from '@tracklight/protocol/validation';

const TYPES: ReadonlySet<string> = new Set(CLIENT_FRAME_TYPES);
/** Shorter than the DTO limits (200 per topic, 64 for since) in UTF-16 units, so always within them. */
const FAST_TOPIC_MAX = 120;
const FAST_SINCE_MAX = 64;

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
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_TOPICS_PER_REQUEST) return false;
  for (const t of value) if (typeof t !== 'string' || t.length > FAST_TOPIC_MAX) return false;
  return true;
}

/**
 * parseClientFrame, with the everyday frames (ping, and subscribe/unsubscribe without a filter)
 * checked by hand instead of through class-validator. The fast checks are a strict subset of the
 * DTO rules; anything they do not clearly accept goes to the full validator, which therefore still
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
  if (typeof type !== 'string' || !TYPES.has(type) || !onlyKeys(raw, 'type', 'ref', 'data')) return undefined;
  if (ref !== undefined && (typeof ref !== 'string' || ref.length > MAX_REF_LENGTH)) return undefined;
  let frame: ClientFrame;
  switch (type) {
    case 'ping':
      frame = { type, data };
      break;
    case 'subscribe': {
      if (!isPlainObject(data) || !onlyKeys(data, 'topics', 'since') || !simpleTopics(data.topics)) return undefined;
      const since = data.since;
      if (since !== undefined && (typeof since !== 'string' || since.length < 1 || since.length > FAST_SINCE_MAX)) {
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
