import { Injectable } from '@nestjs/common';
import { parseTopic, type ParsedTopic, type SubscriptionFilter } from '@tracklight/protocol';

/**
 * A feature module's answer to "what is the current state of this topic". Returns undefined
 * when the thing does not exist (no snapshot frame is sent then).
 */
export interface SnapshotProvider {
  /** `filter` is the subscription's own: a provider whose state can be narrowed (map bbox) honours it. */
  snapshot(topic: string, parsed: ParsedTopic, filter?: SubscriptionFilter): Promise<unknown>;
}

/** Who may read a parametrised topic such as `schedule:{id}`: the schedules module answers. */
export interface TopicOwnershipResolver {
  /** The owner's user id, or undefined when the entity does not exist. */
  ownerOf(key: string): Promise<string | undefined>;
}

/**
 * Feature modules register here at start (onModuleInit); the gateway only looks up. This keeps
 * the dependency pointing from modules to this registry, never from modules to the gateway.
 */
@Injectable()
export class SnapshotRegistry {
  private readonly providers = new Map<ParsedTopic['family'], SnapshotProvider>();
  private readonly owners = new Map<ParsedTopic['family'], TopicOwnershipResolver>();

  register(family: ParsedTopic['family'], provider: SnapshotProvider): void {
    this.providers.set(family, provider);
  }

  registerOwnership(family: 'schedule:' | 'package:', resolver: TopicOwnershipResolver): void {
    this.owners.set(family, resolver);
  }

  has(topic: string): boolean {
    const parsed = parseTopic(topic);
    return !!parsed && this.providers.has(parsed.family);
  }

  async snapshot(topic: string, filter?: SubscriptionFilter): Promise<unknown> {
    const parsed = parseTopic(topic);
    if (!parsed) return undefined;
    const provider = this.providers.get(parsed.family);
    return provider ? provider.snapshot(topic, parsed, filter) : undefined;
  }

  ownershipResolver(family: ParsedTopic['family']): TopicOwnershipResolver | undefined {
    return this.owners.get(family);
  }
}
