/** Redis keys of the cluster view, all under the deployment's REDIS_PREFIX. */
export class ClusterKeys {
  constructor(private readonly prefix: string) {}

  /** Set of registered instance ids; members whose instance key expired are pruned on read. */
  get members(): string {
    return `${this.prefix}cluster:instances`;
  }

  /** Prefix of the per-instance registration keys (string with a TTL). */
  get instancePrefix(): string {
    return `${this.prefix}cluster:instance:`;
  }

  instance(instanceId: string): string {
    return `${this.instancePrefix}${instanceId}`;
  }

  userSlots(userId: string): string {
    return `${this.prefix}cluster:user:${userId}`;
  }
}
