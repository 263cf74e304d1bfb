export interface Queued<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

/**
 * Collects items submitted while the previous group is being written, and hands them over as one
 * group (at most `maxGroup`), one group at a time: the write path of a group commit. Items that
 * arrive in the same turn of the event loop join the same group; under load every group takes
 * whatever queued up during the one before. Each submitter's promise settles only when
 * `write` settles it, so "answered" still means "committed".
 */
export class GroupQueue<I, O> {
  private pending: Queued<I, O>[] = [];
  private draining = false;

  constructor(
    private readonly write: (group: Queued<I, O>[]) => Promise<void>,
    private readonly maxGroup: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const group = this.pending.splice(0, this.maxGroup);
      try {
        await this.write(group);
      } catch (err) {
        // A promise settles once: this reaches only the items `write` had not answered yet.
        for (const queued of group) queued.reject(err);
      }
    }
    this.draining = false;
  }
}
