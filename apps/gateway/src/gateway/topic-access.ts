import { parseTopic, type ParsedTopic, type Role } from '@tracklight/protocol';
import type { SnapshotRegistry } from '../snapshots/snapshot-registry.js';

export type Access = 'allowed' | 'forbidden' | 'unknown';

export interface Reader {
  userId: string;
  roles: readonly Role[];
}

/** Families only some roles may read (docs/PROTOCOL.md section 4, "who may read"). */
const ROLE_GATED: Partial<Record<ParsedTopic['family'], readonly Role[]>> = {
  agent_activity: ['ops', 'admin'],
  system_health: ['ops', 'admin'],
};

function hasRole(reader: Reader, roles: readonly Role[]): boolean {
  return reader.roles.some((r) => roles.includes(r));
}

/**
 * Decides whether `reader` may subscribe to `topic`. `schedule:{id}` asks the ownership resolver
 * the schedules module registered: no resolver, or no such schedule, is an unknown topic; an
 * existing schedule of another user is forbidden unless the reader is an admin.
 */
export async function topicAccess(topic: string, reader: Reader, registry: SnapshotRegistry): Promise<Access> {
  const parsed = parseTopic(topic);
  if (!parsed) return 'unknown';
  const gated = ROLE_GATED[parsed.family];
  if (gated) return hasRole(reader, gated) ? 'allowed' : 'forbidden';
  if (parsed.family === 'schedule:') {
    const resolver = registry.ownershipResolver('schedule:');
    if (!resolver) return 'unknown';
    const owner = await resolver.ownerOf(parsed.key);
    if (owner === undefined) return 'unknown';
    return owner === reader.userId || hasRole(reader, ['admin']) ? 'allowed' : 'forbidden';
  }
  return 'allowed';
}

/** The same rule for topics without ownership, synchronous for the connect path. */
export function staticTopicAccess(topic: string, reader: Reader): Access {
  const parsed = parseTopic(topic);
  if (!parsed) return 'unknown';
  const gated = ROLE_GATED[parsed.family];
  if (gated) return hasRole(reader, gated) ? 'allowed' : 'forbidden';
  return 'allowed';
}

export interface AccessReport {
  unknown: string[];
  forbidden: string[];
}

/**
 * Checks every topic of a request; the caller answers with one error if either list is non-empty.
 * Synchronous unless a topic needs an ownership lookup (`schedule:{id}`), so the everyday
 * subscribe costs no promise.
 */
export function checkTopics(
  topics: readonly string[],
  reader: Reader,
  registry: SnapshotRegistry,
): AccessReport | Promise<AccessReport> {
  if (topics.some((t) => t.startsWith('schedule:'))) {
    return Promise.all(topics.map((t) => topicAccess(t, reader, registry))).then((r) => report(topics, r));
  }
  return report(
    topics,
    topics.map((t) => staticTopicAccess(t, reader)),
  );
}

function report(topics: readonly string[], results: readonly Access[]): AccessReport {
  const out: AccessReport = { unknown: [], forbidden: [] };
  results.forEach((r, i) => {
    if (r === 'unknown') out.unknown.push(topics[i]);
    else if (r === 'forbidden') out.forbidden.push(topics[i]);
  });
  return out;
}

/**
 * The topic of a per-resource endpoint: the same rule as subscribe, and the resource must exist.
 * A package has no ownership resolver, so its existence is asked of its snapshot provider
 * (undefined = no such package): one extra read per connect, before anything is registered.
 */
export async function resourceAccess(topic: string, reader: Reader, registry: SnapshotRegistry): Promise<Access> {
  const access = await topicAccess(topic, reader, registry);
  if (access !== 'allowed' || !topic.startsWith('package:')) return access;
  return (await registry.snapshot(topic)) === undefined ? 'unknown' : 'allowed';
}
