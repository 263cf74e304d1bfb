import { GroupQueue, type Queued } from './group-queue.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupQueue', () => {
  it('writes what arrives in one turn as one group, and what arrives during a write as the next', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((r) => (release = r));
    const queue = new GroupQueue<number, string>(async (group: Queued<number, string>[]) => {
      groups.push(group.map((q) => q.item));
      if (groups.length === 1) await firstWrite;
      for (const q of group) q.resolve(`done ${q.item}`);
    }, 100);

    const first = [1, 2, 3].map((n) => queue.submit(n));
    await tick();
    const answered: string[] = [];
    for (const p of first) void p.then((v) => answered.push(v));
    // Submitted while the first group is still being written: they wait, and go together.
    const second = [4, 5].map((n) => queue.submit(n));
    await tick();
    await tick();
    expect(groups).toEqual([[1, 2, 3]]);
    expect(answered).toEqual([]);

    release();
    expect(await Promise.all([...first, ...second])).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('splits a long queue into groups of at most maxGroup, in order', async () => {
    const groups: number[][] = [];
    const queue = new GroupQueue<number, number>(async (group) => {
      groups.push(group.map((q) => q.item));
      await tick();
      for (const q of group) q.resolve(q.item);
    }, 4);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(i)));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(groups).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('rejects the items a failed write did not answer, keeps the answers it gave, and carries on', async () => {
    let fail = true;
    const queue = new GroupQueue<number, number>(async (group) => {
      if (!fail) {
        for (const q of group) q.resolve(q.item * 2);
        return;
      }
      group[0].resolve(0);
      group[1].reject(new Error('item failed'));
      await tick();
      throw new Error('commit failed');
    }, 10);
    const outcomes = await Promise.allSettled([0, 1, 2].map((n) => queue.submit(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      0,
      'item failed',
      'commit failed',
    ]);
    fail = false;
    expect(await queue.submit(21)).toBe(42);
  });
});
