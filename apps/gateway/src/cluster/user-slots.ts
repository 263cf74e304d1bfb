/** This instance's per-user connection slots: the whole truth without Redis, a mirror with it. */
export class UserSlots {
  private readonly byUser = new Map<string, Set<string>>();

  count(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  has(userId: string, connectionId: string): boolean {
    return this.byUser.get(userId)?.has(connectionId) ?? false;
  }

  add(userId: string, connectionId: string): void {
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    set.add(connectionId);
  }

  remove(userId: string, connectionId: string): void {
    const set = this.byUser.get(userId);
    if (!set) return;
    set.delete(connectionId);
    if (!set.size) this.byUser.delete(userId);
  }

  /** Takes a slot if the user holds fewer than `max`; holding it already counts as success. */
  tryAcquire(userId: string, connectionId: string, max: number): boolean {
    if (this.has(userId, connectionId)) return true;
    if (this.count(userId) >= max) return false;
    this.add(userId, connectionId);
    return true;
  }

  *entries(): Iterable<[userId: string, connectionId: string]> {
    for (const [userId, set] of this.byUser) for (const id of set) yield [userId, id];
  }
}
