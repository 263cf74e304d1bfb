import { validateSync, type ValidationError } from 'class-validator';
import { ErrorCode } from '../codes.js';
import { CLIENT_FRAME_TYPES, MAX_REF_LENGTH, type ClientFrame, type SubscriptionFilter } from '../frames.js';
import { AuthDto, FilterDto, SubscribeDto, TopicsDto } from './dto.js';

export type ParseResult =
  | { ok: true; frame: ClientFrame }
  | {
      ok: false;
      code: typeof ErrorCode.INVALID_JSON | typeof ErrorCode.INVALID_MESSAGE | typeof ErrorCode.UNKNOWN_TYPE;
      message: string;
      ref?: string;
    };

const CLIENT_TYPES: ReadonlySet<string> = new Set(CLIENT_FRAME_TYPES);
const FRAME_KEYS: ReadonlySet<string> = new Set(['type', 'ref', 'data']);
const SUBSCRIBE_KEYS = ['topics', 'since', 'filter'] as const;
const FILTER_KEYS = ['bbox', 'minSeverity', 'carrier', 'status', 'types'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string, ref?: string): ParseResult {
  return { ok: false, code: ErrorCode.INVALID_MESSAGE, message, ref };
}

/**
 * Copies only the named keys into a fresh DTO. JSON.parse turns `"__proto__"` into an own
 * property; Object.assign would then replace the prototype, so keys are copied one by one.
 */
function fill<T extends object>(target: T, source: Record<string, unknown>, keys: readonly string[]): T {
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(source, key)) {
      (target as Record<string, unknown>)[key] = source[key];
    }
  }
  return target;
}

function unknownKeys(source: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(source).filter((k) => !allowed.includes(k));
}

function describe(errors: ValidationError[], prefix = 'data'): string {
  const parts: string[] = [];
  for (const e of errors) {
    const path = `${prefix}.${e.property}`;
    if (e.constraints) parts.push(`${path}: ${Object.values(e.constraints).join(', ')}`);
    if (e.children?.length) parts.push(describe(e.children, path));
  }
  return parts.join('; ');
}

function check(dto: object, ref: string | undefined, prefix = 'data'): ParseResult | undefined {
  const errors = validateSync(dto, { forbidUnknownValues: true });
  return errors.length ? invalid(describe(errors, prefix), ref) : undefined;
}

/**
 * Validates one client text frame against the contract. Never throws: every input maps
 * to a frame or to the contract error the server must answer with.
 */
export function parseClientFrame(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: ErrorCode.INVALID_JSON, message: 'Frame is not valid JSON' };
  }
  if (!isPlainObject(raw)) {
    return { ok: false, code: ErrorCode.INVALID_JSON, message: 'Frame must be a JSON object' };
  }
  return validateClientObject(raw);
}

export function validateClientObject(raw: Record<string, unknown>): ParseResult {
  const ref = typeof raw.ref === 'string' && raw.ref.length <= MAX_REF_LENGTH ? raw.ref : undefined;
  if (raw.ref !== undefined && ref === undefined) {
    return invalid(`ref must be a string of at most ${MAX_REF_LENGTH} characters`);
  }
  if (typeof raw.type !== 'string') return invalid('type must be a string', ref);
  if (!CLIENT_TYPES.has(raw.type)) {
    return { ok: false, code: ErrorCode.UNKNOWN_TYPE, message: `Unknown message type "${raw.type.slice(0, 64)}"`, ref };
  }
  const extra = unknownKeys(raw, [...FRAME_KEYS]);
  if (extra.length) return invalid(`unknown frame fields: ${extra.slice(0, 5).join(', ')}`, ref);

  const type = raw.type as ClientFrame['type'];
  const data = raw.data;
  switch (type) {
    case 'ping':
      return { ok: true, frame: ref === undefined ? { type, data } : { type, ref, data } };
    case 'subscribe': {
      if (!isPlainObject(data)) return invalid('data must be an object', ref);
      const extraData = unknownKeys(data, SUBSCRIBE_KEYS);
      if (extraData.length) return invalid(`unknown data fields: ${extraData.slice(0, 5).join(', ')}`, ref);
      const dto = fill(new SubscribeDto(), data, ['topics', 'since']);
      const failed = check(dto, ref);
      if (failed) return failed;
      let filter: SubscriptionFilter | undefined;
      if (data.filter !== undefined) {
        if (!isPlainObject(data.filter)) return invalid('data.filter must be an object', ref);
        const extraFilter = unknownKeys(data.filter, FILTER_KEYS);
        if (extraFilter.length) return invalid(`unknown filter keys: ${extraFilter.slice(0, 5).join(', ')}`, ref);
        const filterDto = fill(new FilterDto(), data.filter, FILTER_KEYS);
        const filterFailed = check(filterDto, ref, 'data.filter');
        if (filterFailed) return filterFailed;
        filter = { ...filterDto };
      }
      const out: ClientFrame = { type, data: { topics: dto.topics } };
      if (dto.since !== undefined) out.data.since = dto.since;
      if (filter) out.data.filter = filter;
      if (ref !== undefined) out.ref = ref;
      return { ok: true, frame: out };
    }
    case 'unsubscribe': {
      if (!isPlainObject(data)) return invalid('data must be an object', ref);
      const extraData = unknownKeys(data, ['topics']);
      if (extraData.length) return invalid(`unknown data fields: ${extraData.slice(0, 5).join(', ')}`, ref);
      const dto = fill(new TopicsDto(), data, ['topics']);
      const failed = check(dto, ref);
      if (failed) return failed;
      return {
        ok: true,
        frame: ref === undefined ? { type, data: { topics: dto.topics } } : { type, ref, data: { topics: dto.topics } },
      };
    }
    case 'auth': {
      if (!isPlainObject(data)) return invalid('data must be an object', ref);
      const extraData = unknownKeys(data, ['token']);
      if (extraData.length) return invalid(`unknown data fields: ${extraData.slice(0, 5).join(', ')}`, ref);
      const dto = fill(new AuthDto(), data, ['token']);
      const failed = check(dto, ref);
      if (failed) return failed;
      return {
        ok: true,
        frame: ref === undefined ? { type, data: { token: dto.token } } : { type, ref, data: { token: dto.token } },
      };
    }
    default: {
      const exhaustive: never = type;
      return invalid(`Unhandled type ${String(exhaustive)}`, ref);
    }
  }
}
