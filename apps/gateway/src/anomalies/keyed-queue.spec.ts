import { KeyedQueue } from './keyed-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedQueue', () => {
  it('runs tasks of one key in order, never overlapping', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running += 1;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running -= 1;
    };
    await Promise.all([q.run('a', task('1')), q.run('a', task('2')), q.run('a', task('3'))]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys concurrently', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([q.run('a', task('a')), q.run('b', task('b'))]);
    expect(log.slice(0, 2).sort()).toEqual(['start a', 'start b']);
  });

  it('keeps going after a failed task, reports the failure to its caller, and forgets idle keys', async () => {
    const q = new KeyedQueue();
    const failed = q.run('a', () => Promise.reject(new Error('boom')));
    const after = q.run('a', () => Promise.resolve());
    await expect(failed).rejects.toThrow('boom');
    await expect(after).resolves.toBeUndefined();
    await q.idle();
    expect(q.size).toBe(0);
  });
});
