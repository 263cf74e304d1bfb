import type { EventType } from './events.js';

/** Topics with a fixed name. */
export const STATIC_TOPICS = [
  'package_updates',
  'map_updates',
  'anomalies',
  'dashboard_metrics',
  'notifications',
  'agent_activity',
  'system_health',
] as const;
export type StaticTopic = (typeof STATIC_TOPICS)[number];

export type PackageTopic = `package:${string}`;
export type ScheduleTopic = `schedule:${string}`;
export type Topic = StaticTopic | PackageTopic | ScheduleTopic;

/** Which event types travel on which topic family. */
export interface TopicEventTypes {
  package_updates: 'package_update';
  map_updates: 'map_update';
  anomalies: 'anomaly_detected' | 'anomaly_acknowledged' | 'anomaly_resolved';
  dashboard_metrics: 'dashboard_metrics';
  notifications: 'notification';
  agent_activity: 'agent_activity';
  system_health: 'system_health';
  'package:': 'package_update';
  'schedule:': 'schedule_progress' | 'schedule_completed' | 'schedule_failed';
}

/** The event types a client may receive on topic T, inferred from its name. */
export type EventTypeOf<T extends string> = T extends StaticTopic
  ? TopicEventTypes[T]
  : T extends PackageTopic
    ? TopicEventTypes['package:']
    : T extends ScheduleTopic
      ? TopicEventTypes['schedule:']
      : never;

export const TOPIC_EVENT_TYPES: { readonly [K in keyof TopicEventTypes]: readonly TopicEventTypes[K][] } = {
  package_updates: ['package_update'],
  map_updates: ['map_update'],
  anomalies: ['anomaly_detected', 'anomaly_acknowledged', 'anomaly_resolved'],
  dashboard_metrics: ['dashboard_metrics'],
  notifications: ['notification'],
  agent_activity: ['agent_activity'],
  system_health: ['system_health'],
  'package:': ['package_update'],
  'schedule:': ['schedule_progress', 'schedule_completed', 'schedule_failed'],
};

/** Identifiers inside parametrised topics: tracking numbers and schedule ids. */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export type ParsedTopic =
  { family: StaticTopic; key?: undefined } | { family: 'package:'; key: string } | { family: 'schedule:'; key: string };

const STATIC_SET: ReadonlySet<string> = new Set(STATIC_TOPICS);

/** Returns the topic's family and key, or undefined when the name is not a topic. */
export function parseTopic(name: string): ParsedTopic | undefined {
  if (STATIC_SET.has(name)) return { family: name as StaticTopic };
  const colon = name.indexOf(':');
  if (colon < 0) return undefined;
  const family = name.slice(0, colon + 1);
  const key = name.slice(colon + 1);
  if (!KEY_PATTERN.test(key)) return undefined;
  if (family === 'package:' || family === 'schedule:') return { family, key };
  return undefined;
}

export function isTopic(name: string): name is Topic {
  return parseTopic(name) !== undefined;
}

export function packageTopic(trackingNumber: string): PackageTopic {
  return `package:${trackingNumber}`;
}

export function scheduleTopic(scheduleId: string): ScheduleTopic {
  return `schedule:${scheduleId}`;
}

/** Whether an event of this type may travel on this topic. */
export function topicCarries(topic: string, type: EventType): boolean {
  const parsed = parseTopic(topic);
  if (!parsed) return false;
  return (TOPIC_EVENT_TYPES[parsed.family] as readonly string[]).includes(type);
}

/** Topics that send a `snapshot` after `subscribed` (docs/PROTOCOL.md, Snapshots). */
export function hasSnapshot(topic: string): boolean {
  const parsed = parseTopic(topic);
  if (!parsed) return false;
  return (
    parsed.family === 'package:' ||
    parsed.family === 'schedule:' ||
    parsed.family === 'dashboard_metrics' ||
    parsed.family === 'system_health' ||
    parsed.family === 'map_updates'
  );
}
