import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { waitFor } from './wait.js';

/** The shared local Redis the suites use; each run works under its own key prefix. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisReachable(url = REDIS_URL): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * `describe` when Redis answers (and, with `needsServer`, the `redis-server` binary exists for
 * the outage tests), a visibly skipped `describe` otherwise; with CI=true a missing Redis fails
 * the suite instead, so CI cannot go green without running it.
 */
export async function describeWithRedis(name: string, needsServer = false): Promise<jest.Describe> {
  const missing = !(await redisReachable())
    ? `no Redis at ${REDIS_URL}`
    : needsServer && spawnSync('redis-server', ['--version']).status !== 0
      ? 'no redis-server binary on PATH'
      : undefined;
  if (!missing) return describe;
  if (process.env.CI === 'true') throw new Error(`${name}: ${missing} and CI=true`);
  console.warn(`SKIPPED ${name}: ${missing} (set CI=true to make this a failure)`);
  return describe.skip;
}

export function uniquePrefix(name: string): string {
  return `tracklight-test:${name}:${process.pid}-${randomUUID().slice(0, 8)}:`;
}

/** Deletes every key under `prefix`. */
export async function cleanupPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A raw PING that leaves no client timers behind (ioredis keeps its connect timer for a while). */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1_000);
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A private `redis-server` on a free port that a test may stop and start again, to play
 * outages without touching the shared Redis. No automatic persistence; `stop({ save: true })`
 * writes a snapshot first, so the restarted server has the same data (a clean Redis restart),
 * while `stop()` loses everything (a crash of a Redis without persistence).
 */
export class TestRedisServer {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'tracklight-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      { stdio: 'ignore' },
    );
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitFor(() => pings(this.port), 10_000, 'redis-server to start'), exited]);
  }

  async stop(options: { save?: boolean } = {}): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise((r) => child.once('exit', r));
    if (options.save) {
      const client = new Redis(this.url, { retryStrategy: () => null });
      client.on('error', () => undefined);
      await client.save();
      client.disconnect();
    }
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
