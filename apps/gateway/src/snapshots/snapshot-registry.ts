import { Injectable } from '@nestjs/common';
import {
  parseTopic,
  type FamilySnapshot,
  type OwnedFamily,
  type ParsedTopic,
  type SnapshotFamily,
  type SubscriptionFilter,
} from '@tracklight/protocol';

/**
 * A feature module's answer to "what is the current state of this topic", typed by the family's
 * declared snapshot. Resolves undefined when the thing does not exist (no snapshot frame is sent).
 */
export interface SnapshotProvider<F extends SnapshotFamily = SnapshotFamily> {
  /** `filter` is the subscription's own: a provider whose state can be narrowed (map bbox) honours it. */
  snapshot(topic: string, parsed: ParsedTopic, filter?: SubscriptionFilter): Promise<FamilySnapshot<F> | undefined>;
}

/** Who may read a keyed topic whose family declares an ownership hook: its module answers. */
export interface TopicOwnershipResolver {
  /** The owner's user id, or undefined when the entity does not exist. */
  ownerOf(key: string): Promise<string | undefined>;
}

/**
 * Feature modules register here at start (onModuleInit); the gateway only looks up. This keeps
 * the dependency pointing from modules to this registry, never from modules to the gateway.
 * Only families that declare a snapshot (or an ownership hook) in libs/protocol can register.
 */
@Injectable()
export class SnapshotRegistry {
  private readonly providers = new Map<string, SnapshotProvider>();
  private readonly owners = new Map<string, TopicOwnershipResolver>();

  register<F extends SnapshotFamily>(family: F, provider: SnapshotProvider<F>): void {
    this.providers.set(family, provider);
  }

  registerOwnership(family: OwnedFamily, resolver: TopicOwnershipResolver): void {
    this.owners.set(family, resolver);
  }

  /** Whether `family` has a provider: lets a test prove every declared snapshot is served. */
  provides(family: SnapshotFamily): boolean {
    return this.providers.has(family);
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

  ownershipResolver(family: OwnedFamily): TopicOwnershipResolver | undefined {
    return this.owners.get(family);
  }
}
