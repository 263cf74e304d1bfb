import { KeyedSerialiser } from './keyed-serialiser.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedSerialiser', () => {
  it('runs tasks of one key one at a time, in arrival order, each resolving with its own result', async () => {
    const s = new KeyedSerialiser();
    const log: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running += 1;
      expect(running).toBe(1);
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      running -= 1;
      return name;
    };
    const results = await Promise.all([s.run('a', task('1')), s.run('a', task('2')), s.run('a', task('3'))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(log).toEqual(['1 start', '1 end', '2 start', '2 end', '3 start', '3 end']);
  });

  it('lets different keys overlap', async () => {
    const s = new KeyedSerialiser();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([s.run('a', task('a')), s.run('b', task('b'))]);
    expect(log.slice(0, 2).sort()).toEqual(['a start', 'b start']);
  });

  it('keeps going after a failed task, reports the failure to its caller only, and forgets idle keys', async () => {
    const s = new KeyedSerialiser();
    const failed = s.run('a', () => Promise.reject(new Error('boom')));
    const after = s.run('a', () => Promise.resolve('ok'));
    expect(s.size).toBe(1);
    await expect(failed).rejects.toThrow('boom');
    await expect(after).resolves.toBe('ok');
    await s.idle();
    expect(s.size).toBe(0);
  });

  it('runAll holds every key of a group: single-key tasks wait for it, other keys do not', async () => {
    const mutex = new KeyedSerialiser();
    const log: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const group = mutex.runAll(['b', 'a', 'b'], async () => {
      log.push('group start');
      await held;
      log.push('group end');
    });
    await tick();
    const onA = mutex.run('a', () => Promise.resolve(void log.push('a')));
    const onB = mutex.run('b', () => Promise.resolve(void log.push('b')));
    const onC = mutex.run('c', () => Promise.resolve(void log.push('c')));
    await onC;
    await tick();
    expect(log).toEqual(['group start', 'c']);
    release();
    await Promise.all([group, onA, onB]);
    // Both waited for the whole group; between themselves they are independent keys.
    expect(log.slice(0, 3)).toEqual(['group start', 'c', 'group end']);
    expect(log.slice(3).sort()).toEqual(['a', 'b']);
  });

  it('runAll of two overlapping groups does not deadlock (keys are taken in sorted order)', async () => {
    const mutex = new KeyedSerialiser();
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(name);
      await tick();
    };
    await Promise.all([mutex.runAll(['x', 'y'], task('1')), mutex.runAll(['y', 'x'], task('2'))]);
    expect(order).toEqual(['1', '2']);
  });
});
