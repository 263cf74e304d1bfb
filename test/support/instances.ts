import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SECRET } from './app.js';
import { freePort } from './redis.js';
import { token } from './tokens.js';

/**
 * A real gateway in its own process on a free port. By default it runs from the TypeScript
 * sources through the swc loader of test/durability-support (no build into the shared dist/);
 * TRACKLIGHT_GATEWAY_ENTRY=dist/apps/gateway/src/main.js runs a build instead.
 */
export class GatewayInstance {
  private output = '';
  readonly exited: Promise<NodeJS.Signals | number | null>;

  private constructor(
    readonly instanceId: string,
    readonly port: number,
    readonly child: ChildProcess,
    private readonly dataDir: string,
    private readonly secret: string,
  ) {
    const keep = (d: Buffer) => {
      // The tail is what explains a failure; keep it bounded.
      this.output = (this.output + d.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  }

  get http(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get ws(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts one instance and waits until /health answers 200. `name` gets a random suffix, so the
   * instance can prove it is the one answering on the port (see waitHealthy).
   */
  static async start(name: string, env: Record<string, string>): Promise<GatewayInstance> {
    const instanceId = `${name}-${randomUUID().slice(0, 6)}`;
    for (let attempt = 1; ; attempt++) {
      const instance = await GatewayInstance.spawn(instanceId, env);
      try {
        await instance.waitHealthy(60_000);
        return instance;
      } catch (err) {
        await instance.stop();
        // Lost the race for the free port to another process: try another port.
        if (attempt >= 3 || !instance.output.includes('EADDRINUSE')) throw err;
      }
    }
  }

  private static async spawn(instanceId: string, env: Record<string, string>): Promise<GatewayInstance> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'tracklight-instance-'));
    const entry = process.env.TRACKLIGHT_GATEWAY_ENTRY;
    const args = entry ? [entry] : ['--import', './test/durability-support/register.mjs', 'apps/gateway/src/main.ts'];
    const child = spawn(process.execPath, args, {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        JWT_SECRET: TEST_SECRET,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        SIMULATOR: 'off',
        LOG_LEVEL: 'warn',
        INSTANCE_ID: instanceId,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new GatewayInstance(instanceId, port, child, dataDir, env.JWT_SECRET ?? TEST_SECRET);
  }

  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.instanceId} exited: ${this.output}`);
      try {
        if ((await fetch(`${this.http}/health`)).status === 200 && (await this.answersAsItself())) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline)
        throw new Error(`${this.instanceId} not healthy after ${timeoutMs} ms: ${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Between picking a free port and listening on it, another test's process may take the port:
   * this child then fails to listen while the other answers. Only our instance id counts.
   */
  private async answersAsItself(): Promise<boolean> {
    const admin = token({ sub: 'instances', roles: ['admin'], secret: this.secret });
    const res = await fetch(`${this.http}/ws/status`, { headers: { authorization: `Bearer ${admin}` } });
    if (res.status !== 200) return false;
    const status = (await res.json()) as { instanceId?: string };
    if (status.instanceId !== this.instanceId) throw new Error(`port ${this.port} is answered by another process`);
    return true;
  }

  /** The crash: no shutdown hooks, no close frames, registrations left to expire. */
  async kill9(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A graceful stop (SIGTERM), then the data directory goes. */
  async stop(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  logs(): string {
    return this.output;
  }
}
