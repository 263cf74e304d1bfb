import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { Connection } from './connection.js';
import { GatewayStats } from './gateway-stats.js';
import { RateLimit } from './rate-limiter.js';

const conn = () =>
  new Connection({
    id: 'c1',
    ws: { readyState: 1, OPEN: 1, protocol: '', extensions: '' } as unknown as WebSocket,
    socket: {} as Socket,
    endpoint: '/ws/connect',
    userId: 'u',
    roles: ['viewer'],
    expiresAt: new Date(Date.now() + 60_000),
    remoteAddress: '127.0.0.1',
    rate: new RateLimit(50, 100),
    stats: new GatewayStats(),
  });

describe('Connection.run', () => {
  it('runs a task at once when nothing is in flight', () => {
    const c = conn();
    const log: string[] = [];
    c.run(() => log.push('sync'), fail);
    expect(log).toEqual(['sync']);
  });

  it('runs later tasks after an async one, in order, even synchronous ones', async () => {
    const c = conn();
    const log: string[] = [];
    let release!: () => void;
    c.run(
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            log.push('slow done');
            resolve();
          };
        }),
      fail,
    );
    c.run(() => log.push('second'), fail);
    c.run(async () => {
      await Promise.resolve();
      log.push('third');
    }, fail);
    expect(log).toEqual([]);
    release();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['slow done', 'second', 'third']);
    c.run(() => log.push('idle again'), fail);
    expect(log.at(-1)).toBe('idle again');
  });

  it('reports errors and keeps going', async () => {
    const c = conn();
    const errors: unknown[] = [];
    c.run(
      () => Promise.reject(new Error('boom')),
      (e) => errors.push(e),
    );
    c.run(
      () => {
        throw new Error('sync boom');
      },
      (e) => errors.push(e),
    );
    let ran = false;
    c.run(() => {
      ran = true;
    }, fail);
    await new Promise((r) => setImmediate(r));
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'sync boom']);
    expect(ran).toBe(true);
  });
});

describe('Connection floors', () => {
  it('drops live events up to the catch-up floor, then forgets it', () => {
    const c = conn();
    c.setFloor('anomalies', '100-5');
    expect(c.aboveFloor('anomalies', '100-5')).toBe(false);
    expect(c.aboveFloor('anomalies', '99-9')).toBe(false);
    expect(c.aboveFloor('other', '1-0')).toBe(true);
    expect(c.aboveFloor('anomalies', '100-6')).toBe(true);
    expect(c.floors).toBeUndefined();
    expect(c.aboveFloor('anomalies', '1-0')).toBe(true);
  });
});

function fail(err: unknown): never {
  throw err instanceof Error ? err : new Error(String(err));
}
