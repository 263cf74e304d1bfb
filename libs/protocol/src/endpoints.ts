import { parseTopic, type PackageTopic, type ScheduleTopic, type StaticTopic } from './topics.js';

/** WebSocket endpoints and the topics each subscribes on connect (docs/PROTOCOL.md section 2). */
export const ENDPOINTS = {
  '/ws/connect': [],
  '/ws/packages': ['package_updates'],
  '/ws/dashboard': ['dashboard_metrics', 'notifications'],
  '/ws/map': ['map_updates', 'package_updates'],
  '/ws/agents': ['agent_activity', 'system_health'],
} as const satisfies Record<string, readonly StaticTopic[]>;

export type EndpointPath = keyof typeof ENDPOINTS;

/**
 * Per-resource endpoints (docs/PROTOCOL.md section 2): the path's last segment names the one topic
 * subscribed on connect. Connections report the pattern, not the path, so the admin API and the
 * metrics keep one label per kind of endpoint rather than one per resource.
 */
export const RESOURCE_ENDPOINTS = {
  '/ws/packages/{trackingNumber}': { prefix: '/ws/packages/', family: 'package:' },
  '/ws/schedules/{scheduleId}': { prefix: '/ws/schedules/', family: 'schedule:' },
} as const;

export type ResourceEndpointPath = keyof typeof RESOURCE_ENDPOINTS;
/** What a connection reports as its endpoint (`connected`, admin API, metrics). */
export type AnyEndpointPath = EndpointPath | ResourceEndpointPath | typeof SSE_PATH;

/** Server-Sent Events (docs/PROTOCOL.md section 5): a stream is a connection of this endpoint. */
export const SSE_PATH = '/sse';

export function isEndpointPath(path: string): path is EndpointPath {
  return Object.prototype.hasOwnProperty.call(ENDPOINTS, path);
}

export interface ResolvedEndpoint {
  endpoint: AnyEndpointPath;
  /** Subscribed on connect. */
  topics: readonly string[];
  /** The one topic of a per-resource endpoint: its resource must exist (else close 4404). */
  resource?: PackageTopic | ScheduleTopic;
}

/** The endpoint a request path names, or undefined (the upgrade then gets HTTP 404). */
export function resolveEndpoint(pathname: string): ResolvedEndpoint | undefined {
  if (isEndpointPath(pathname)) return { endpoint: pathname, topics: ENDPOINTS[pathname] };
  for (const [endpoint, { prefix, family }] of Object.entries(RESOURCE_ENDPOINTS)) {
    if (!pathname.startsWith(prefix)) continue;
    let key: string;
    try {
      key = decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      return undefined;
    }
    const topic = `${family}${key}`;
    if (parseTopic(topic)?.family !== family) return undefined;
    const resource = topic as PackageTopic | ScheduleTopic;
    return { endpoint: endpoint as ResourceEndpointPath, topics: [resource], resource };
  }
  return undefined;
}
