import { parseTopic, topicDeclaration, type OwnedFamily, type Role } from '@tracklight/protocol';
import type { SnapshotRegistry } from '../snapshots/snapshot-registry.js';

export type Access = 'allowed' | 'forbidden' | 'unknown';

export interface Reader {
  userId: string;
  roles: readonly Role[];
}

function hasRole(reader: Reader, roles: readonly Role[]): boolean {
  return reader.roles.some((r) => roles.includes(r));
}

/**
 * Decides whether `reader` may subscribe to `topic`, from the family's declared `read` rule
 * (libs/protocol topic-registry.ts). A family with an ownership hook asks the resolver its module
 * registered: no resolver, or no such resource, is an unknown topic; the owner may read, and so
 * may the declared roles. Without a hook, the declared roles (if any) decide.
 */
export async function topicAccess(topic: string, reader: Reader, registry: SnapshotRegistry): Promise<Access> {
  const parsed = parseTopic(topic);
  if (!parsed) return 'unknown';
  const read = topicDeclaration(parsed.family).read;
  if (!read?.owner || parsed.key === undefined) return staticTopicAccess(topic, reader);
  const resolver = registry.ownershipResolver(parsed.family as OwnedFamily);
  if (!resolver) return 'unknown';
  const owner = await resolver.ownerOf(parsed.key);
  if (owner === undefined) return 'unknown';
  return owner === reader.userId || hasRole(reader, read.roles ?? []) ? 'allowed' : 'forbidden';
}

/**
 * The same rule without the ownership lookup, synchronous for the connect path. A family with an
 * ownership hook passes here: its declared roles only add readers to the owner, so only
 * `topicAccess` (or `resourceAccess`) can refuse it.
 */
export function staticTopicAccess(topic: string, reader: Reader): Access {
  const parsed = parseTopic(topic);
  if (!parsed) return 'unknown';
  const read = topicDeclaration(parsed.family).read;
  if (read?.roles && !read.owner) return hasRole(reader, read.roles) ? 'allowed' : 'forbidden';
  return 'allowed';
}

/** Whether deciding access to this topic needs its ownership hook (an asynchronous lookup). */
function needsOwner(topic: string): boolean {
  const parsed = parseTopic(topic);
  return !!parsed && parsed.key !== undefined && !!topicDeclaration(parsed.family).read?.owner;
}

export interface AccessReport {
  unknown: string[];
  forbidden: string[];
}

/**
 * Checks every topic of a request; the caller answers with one error if either list is non-empty.
 * Synchronous unless a topic needs an ownership lookup (a family declaring `read.owner`), so the everyday
 * subscribe costs no promise.
 */
export function checkTopics(
  topics: readonly string[],
  reader: Reader,
  registry: SnapshotRegistry,
): AccessReport | Promise<AccessReport> {
  if (topics.some(needsOwner)) {
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
 * An ownership hook already proved it exists; otherwise its existence is asked of its snapshot
 * provider (undefined = no such resource): one extra read per connect, before anything is registered.
 */
export async function resourceAccess(topic: string, reader: Reader, registry: SnapshotRegistry): Promise<Access> {
  const access = await topicAccess(topic, reader, registry);
  if (access !== 'allowed' || needsOwner(topic)) return access;
  return (await registry.snapshot(topic)) === undefined ? 'unknown' : 'allowed';
}
