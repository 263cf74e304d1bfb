import type { ConnectionFilter, ConnectionItem } from './cluster-admin.js';

/** Pub/sub channels of the admin request/reply, under the deployment's REDIS_PREFIX. */
export class ClusterAdminChannels {
  constructor(private readonly prefix: string) {}

  /** Every instance listens here for requests. */
  get requests(): string {
    return `${this.prefix}cluster:admin:requests`;
  }

  /** Each instance listens on its own reply channel. */
  replies(instanceId: string): string {
    return `${this.prefix}cluster:admin:replies:${instanceId}`;
  }
}

interface RequestBase {
  requestId: string;
  /** The requesting instance: replies go to its reply channel. */
  from: string;
}

export type AdminRequest =
  | (RequestBase & { kind: 'list'; filter: ConnectionFilter; max: number })
  | (RequestBase & { kind: 'close'; connectionId: string });

interface ReplyBase {
  requestId: string;
  instanceId: string;
}

export type AdminReply =
  | (ReplyBase & { kind: 'list'; total: number; items: ConnectionItem[] })
  | (ReplyBase & { kind: 'close'; closed: boolean });

/**
 * Channel messages come from other instances of the same deployment, but a shared Redis may
 * carry anything: a message of the wrong shape is dropped rather than trusted.
 */
export function parseRequest(json: string): AdminRequest | undefined {
  const m = parseObject(json);
  if (!m || !isString(m.requestId) || !isString(m.from)) return undefined;
  if (m.kind === 'list') {
    const filter = m.filter as Record<string, unknown> | null;
    if (typeof filter !== 'object' || filter === null || !Number.isInteger(m.max) || (m.max as number) < 0) {
      return undefined;
    }
    const clean: ConnectionFilter = {};
    for (const key of ['userId', 'endpoint', 'topic'] as const) {
      const value = filter[key];
      if (value === undefined) continue;
      if (!isString(value)) return undefined;
      clean[key] = value;
    }
    return { requestId: m.requestId, from: m.from, kind: 'list', filter: clean, max: m.max as number };
  }
  if (m.kind === 'close' && isString(m.connectionId)) {
    return { requestId: m.requestId, from: m.from, kind: 'close', connectionId: m.connectionId };
  }
  return undefined;
}

export function parseReply(json: string): AdminReply | undefined {
  const m = parseObject(json);
  if (!m || !isString(m.requestId) || !isString(m.instanceId)) return undefined;
  if (m.kind === 'list' && Number.isInteger(m.total) && Array.isArray(m.items)) {
    const items = m.items as ConnectionItem[];
    if (!items.every((i) => isString(i?.connectionId) && isString(i.connectedAt))) return undefined;
    return { requestId: m.requestId, instanceId: m.instanceId, kind: 'list', total: m.total as number, items };
  }
  if (m.kind === 'close' && typeof m.closed === 'boolean') {
    return { requestId: m.requestId, instanceId: m.instanceId, kind: 'close', closed: m.closed };
  }
  return undefined;
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
