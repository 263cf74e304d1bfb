import { MAX_TOPICS_PER_REQUEST, type SubscriptionFilter } from '@tracklight/protocol';
import type { Recovery } from './types.js';

export interface SubscribeGroup {
  topics: string[];
  since?: string;
  filter?: SubscriptionFilter;
}

/**
 * The `subscribe` requests that renew every held topic. After a reconnect each topic resumes from
 * its own last id; a topic that was held but saw no event yet resumes from the newest id seen on
 * any topic (ids are ordered deployment-wide). Topics sharing `since` and filter share a request.
 */
export function resubscribeGroups(
  held: Iterable<{ topic: string; filter?: SubscriptionFilter; everActive: boolean }>,
  lastIds: ReadonlyMap<string, string>,
  newestId: string | undefined,
  resuming: boolean,
): SubscribeGroup[] {
  const byKey = new Map<string, SubscribeGroup & { topics: string[] }>();
  for (const { topic, filter, everActive } of held) {
    const since = lastIds.get(topic) ?? (resuming && everActive ? newestId : undefined);
    const key = `${since ?? ''}|${JSON.stringify(filter ?? null)}`;
    const group = byKey.get(key) ?? { topics: [], since, filter };
    group.topics.push(topic);
    byKey.set(key, group);
  }
  const requests: SubscribeGroup[] = [];
  for (const group of byKey.values()) {
    for (let i = 0; i < group.topics.length; i += MAX_TOPICS_PER_REQUEST) {
      requests.push({ ...group, topics: group.topics.slice(i, i + MAX_TOPICS_PER_REQUEST) });
    }
  }
  return requests;
}

/** Counts the resume requests of one reconnect so `status.recovery` is reported once, when all answered. */
export class ResumeTracker {
  private outstanding = 0;
  private readonly gapTopics = new Set<string>();

  constructor(outstanding: number) {
    this.outstanding = outstanding;
  }

  /** Returns the recovery once the last resume request has answered. */
  answered(gapTopics: string[]): Recovery | undefined {
    for (const topic of gapTopics) this.gapTopics.add(topic);
    this.outstanding -= 1;
    if (this.outstanding > 0) return undefined;
    return { recovered: this.gapTopics.size === 0, gapTopics: [...this.gapTopics] };
  }
}
