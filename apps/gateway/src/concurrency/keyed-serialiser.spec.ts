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
});
