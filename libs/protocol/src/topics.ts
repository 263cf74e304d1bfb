import type { EventType } from './events.js';
import {
  TOPICS,
  type FamilyEvents,
  type FamilySnapshot,
  type KeyedFamily,
  type StaticTopic,
  type TopicDeclaration,
  type TopicFamily,
} from './topic-registry.js';

export * from './topic-registry.js';

export type PackageTopic = `package:${string}`;
export type ScheduleTopic = `schedule:${string}`;
export type Topic = StaticTopic | `${KeyedFamily}${string}`;

/** Which event types travel on which topic family. */
export type TopicEventTypes = { [F in TopicFamily]: FamilyEvents<F> };

/** The family of topic name T (`package:A1` -> `package:`), inferred from its name. */
export type FamilyOf<T extends string> = T extends StaticTopic
  ? T
  : T extends `${infer P}:${string}`
    ? `${P}:` extends KeyedFamily
      ? `${P}:`
      : never
    : never;

/** The event types a client may receive on topic T, inferred from its name. */
export type EventTypeOf<T extends string> = FamilyEvents<FamilyOf<T>>;

/** What a `snapshot` frame carries for topic T; never for event-only topics. */
export type SnapshotDataOf<T extends string> = FamilySnapshot<FamilyOf<T>>;

const FAMILIES = Object.keys(TOPICS) as TopicFamily[];
const DECLARATIONS: Readonly<Record<TopicFamily, TopicDeclaration>> = TOPICS;
const isKeyed = (f: TopicFamily): f is KeyedFamily => f.endsWith(':');

/** Topics with a fixed name. */
export const STATIC_TOPICS: readonly StaticTopic[] = FAMILIES.filter((f): f is StaticTopic => !isKeyed(f));

export const TOPIC_EVENT_TYPES: { readonly [F in TopicFamily]: readonly FamilyEvents<F>[] } = Object.fromEntries(
  FAMILIES.map((f) => [f, TOPICS[f].events]),
) as unknown as { readonly [F in TopicFamily]: readonly FamilyEvents<F>[] };

/** Every event type, once, in declaration order. */
export const EVENT_TYPES: readonly EventType[] = [...new Set(FAMILIES.flatMap((f) => DECLARATIONS[f].events))];

/** Identifiers inside keyed topics: tracking numbers, schedule ids and the like. */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export type ParsedTopic = { family: StaticTopic; key?: undefined } | { family: KeyedFamily; key: string };

const STATIC_SET: ReadonlySet<string> = new Set(STATIC_TOPICS);
const KEYED: readonly KeyedFamily[] = FAMILIES.filter(isKeyed);
const KEYED_SET: ReadonlySet<string> = new Set(KEYED);

/** Returns the topic's family and key, or undefined when the name is not a topic. */
export function parseTopic(name: string): ParsedTopic | undefined {
  if (STATIC_SET.has(name)) return { family: name as StaticTopic };
  const colon = name.indexOf(':');
  if (colon < 0) return undefined;
  const family = name.slice(0, colon + 1);
  const key = name.slice(colon + 1);
  if (!KEY_PATTERN.test(key) || !KEYED_SET.has(family)) return undefined;
  return { family: family as KeyedFamily, key };
}

/**
 * The family of a topic already known to be valid (a published or subscribed one), without
 * checking its key or allocating: for per-event lookups that must stay cheap.
 */
export function familyOf(topic: string): TopicFamily | undefined {
  if (STATIC_SET.has(topic)) return topic as StaticTopic;
  for (const family of KEYED) if (topic.startsWith(family)) return family;
  return undefined;
}

/** The declaration of a family, widened for code that handles every family alike. */
export function topicDeclaration(family: TopicFamily): TopicDeclaration {
  return DECLARATIONS[family];
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
  return !!parsed && DECLARATIONS[parsed.family].snapshot !== undefined;
}

const STORED_STATIC: ReadonlySet<string> = new Set(STATIC_TOPICS.filter((f) => DECLARATIONS[f].stored));
const STORED_KEYED: readonly string[] = KEYED.filter((f) => DECLARATIONS[f].stored);

/**
 * Topics whose events are kept in storage, so a resume from storage has no gap on them. Asked
 * once per published event by the durable recorder: a Set read and a few prefix tests, as the
 * hand-written list it replaces cost.
 */
export function isStoredTopic(topic: string): boolean {
  if (STORED_STATIC.has(topic)) return true;
  for (const prefix of STORED_KEYED) if (topic.startsWith(prefix)) return true;
  return false;
}

/** How one family conflates one of its event types: `topic` or a payload field. */
export interface ConflationRule {
  family: TopicFamily;
  by: string;
}

/**
 * The declared conflation rules indexed by event type, resolved once at load: a lagging client's
 * queue looks up the event's type (one Map read), and only a conflatable type pays for the
 * topic's family.
 */
export const CONFLATION_BY_TYPE: ReadonlyMap<string, readonly ConflationRule[]> = (() => {
  const out = new Map<string, ConflationRule[]>();
  for (const family of FAMILIES) {
    const by = DECLARATIONS[family].conflateBy;
    if (!by) continue;
    for (const type of DECLARATIONS[family].events) out.set(type, [...(out.get(type) ?? []), { family, by }]);
  }
  return out;
})();

/** The key under which a newer event replaces a queued one, or undefined (never conflated). */
export function conflationKey(
  topic: string,
  type: string,
  data: Readonly<Record<string, unknown>>,
): string | undefined {
  const rules = CONFLATION_BY_TYPE.get(type);
  if (!rules) return undefined;
  const family = familyOf(topic);
  for (const rule of rules) {
    if (rule.family !== family) continue;
    if (rule.by === 'topic') return `${topic}\n`;
    const value = data[rule.by];
    return typeof value === 'string' || typeof value === 'number' ? `${topic}\n${value}` : undefined;
  }
  return undefined;
}
