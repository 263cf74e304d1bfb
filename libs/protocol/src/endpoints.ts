import type { StaticTopic } from './topics.js';

/** WebSocket endpoints and the topics each subscribes on connect (docs/PROTOCOL.md section 2). */
export const ENDPOINTS = {
  '/ws/connect': [],
  '/ws/packages': ['package_updates'],
  '/ws/dashboard': ['dashboard_metrics', 'notifications'],
  '/ws/map': ['map_updates', 'package_updates'],
  '/ws/agents': ['agent_activity', 'system_health'],
} as const satisfies Record<string, readonly StaticTopic[]>;

export type EndpointPath = keyof typeof ENDPOINTS;

export function isEndpointPath(path: string): path is EndpointPath {
  return Object.prototype.hasOwnProperty.call(ENDPOINTS, path);
}
