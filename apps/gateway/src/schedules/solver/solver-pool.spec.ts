import { SolverPool, type JobOutcome } from './solver-pool.js';
import { randomInstance } from './test-instances.js';

const noop = { onStart: () => {}, onProgress: () => {} };

describe('SolverPool (real worker threads)', () => {
  let pool: SolverPool;
  afterEach(async () => {
    await pool.close();
  });

  it('solves in a worker and streams non-decreasing progress', async () => {
    pool = new SolverPool(1, 30_000);
    const progress: number[] = [];
    let started = false;
    const outcome = await pool.run('a', randomInstance(50, 3, 1), {
      onStart: () => (started = true),
      onProgress: (_step, p) => progress.push(p),
    });
    expect(started).toBe(true);
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.result.routes.flatMap((r) => r.stops)).toHaveLength(50);
    expect(progress.length).toBeGreaterThan(2);
    expect([...progress].sort((x, y) => x - y)).toEqual(progress);
  });

  it('reports solver refusals as a failed outcome with the code', async () => {
    pool = new SolverPool(1, 30_000);
    const input = randomInstance(3, 1, 2);
    input.stops[0].windowEnd = 0.1;
    const outcome = await pool.run('b', input, noop);
    expect(outcome).toMatchObject({ kind: 'failed', code: 'INFEASIBLE' });
  });

  it('cancels a running job by terminating its worker, and keeps serving the queue', async () => {
    pool = new SolverPool(1, 60_000);
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const big = pool.run('big', randomInstance(3000, 1, 3), { ...noop, onStart: () => running() });
    const queued = pool.run('queued', randomInstance(10, 1, 4), noop);
    const cancelledQueued = pool.run('cancel-me', randomInstance(10, 1, 5), noop);
    await started;
    expect(pool.cancel('cancel-me')).toBe(true);
    expect(await cancelledQueued).toEqual({ kind: 'cancelled' });
    expect(pool.cancel('big')).toBe(true);
    expect(await big).toEqual({ kind: 'cancelled' });
    expect((await queued).kind).toBe('done');
    expect(pool.cancel('big')).toBe(false);
  });

  it('fails a job that runs past the timeout with TIMEOUT, then runs the next one', async () => {
    pool = new SolverPool(1, 300);
    const slow = await pool.run('slow', randomInstance(3000, 1, 6), noop);
    expect(slow).toMatchObject({ kind: 'failed', code: 'TIMEOUT', details: { timeoutMs: 300 } });
    const next: JobOutcome = await pool.run('next', randomInstance(5, 1, 7), noop);
    expect(next.kind).toBe('done');
  });

  it('runs jobs in parallel up to the pool size', async () => {
    pool = new SolverPool(2, 30_000);
    let concurrent = 0;
    let peak = 0;
    const job = (id: string) =>
      pool
        .run(id, randomInstance(600, 2, 8), {
          onStart: () => (peak = Math.max(peak, ++concurrent)),
          onProgress: () => {},
        })
        .then((o) => {
          concurrent--;
          return o;
        });
    const outcomes = await Promise.all([job('p1'), job('p2'), job('p3')]);
    expect(outcomes.map((o) => o.kind)).toEqual(['done', 'done', 'done']);
    expect(peak).toBe(2);
  });
});
