/**
 * This instance's per-user connection slots: the whole truth without Redis, a mirror with it.
 * Most users hold one connection, so a user's slots are the connection id itself until a second
 * one arrives; only then a Set (about 190 bytes per idle connection saved, S1 in docs/benchmarks.md).
 */
export class UserSlots {
  private readonly byUser = new Map<string, string | Set<string>>();

  count(userId: string): number {
    const held = this.byUser.get(userId);
    return held === undefined ? 0 : typeof held === 'string' ? 1 : held.size;
  }

  has(userId: string, connectionId: string): boolean {
    const held = this.byUser.get(userId);
    return typeof held === 'string' ? held === connectionId : (held?.has(connectionId) ?? false);
  }

  add(userId: string, connectionId: string): void {
    const held = this.byUser.get(userId);
    if (held === undefined) this.byUser.set(userId, connectionId);
    else if (typeof held !== 'string') held.add(connectionId);
    else if (held !== connectionId) this.byUser.set(userId, new Set([held, connectionId]));
  }

  remove(userId: string, connectionId: string): void {
    const held = this.byUser.get(userId);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === connectionId) this.byUser.delete(userId);
      return;
    }
    held.delete(connectionId);
    if (held.size === 1) this.byUser.set(userId, held.values().next().value as string);
    else if (!held.size) this.byUser.delete(userId);
  }

  /** Takes a slot if the user holds fewer than `max`; holding it already counts as success. */
  tryAcquire(userId: string, connectionId: string, max: number): boolean {
    if (this.has(userId, connectionId)) return true;
    if (this.count(userId) >= max) return false;
    this.add(userId, connectionId);
    return true;
  }

  *entries(): Iterable<[userId: string, connectionId: string]> {
    for (const [userId, held] of this.byUser) {
      if (typeof held === 'string') yield [userId, held];
      else for (const id of held) yield [userId, id];
    }
  }
}
