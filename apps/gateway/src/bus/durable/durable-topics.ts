import { isStoredTopic } from '@tracklight/protocol';

/**
 * Topics whose events are important enough to keep in storage: the families declared `stored`
 * in libs/protocol (topic-registry.ts). A topic's events are kept whole (every type), so a
 * resume from storage has no gap on it; other topics (positions, metrics, agents) resume from
 * the hot history only, or from snapshots.
 */
export function isDurableTopic(topic: string): boolean {
  return isStoredTopic(topic);
}
