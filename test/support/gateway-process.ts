import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { TEST_SECRET } from './app.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface GatewayProcess {
  child: ChildProcess;
  base: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * The gateway in a child process, from its sources (through the swc loader of
 * test/durability-support), for tests that kill -9 it. Resolves once /health answers 200.
 * `env.PORT` pins the port (a restart that clients, a browser page say, must find where it was);
 * otherwise a free one is picked.
 */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(
    process.execPath,
    ['--import', './test/durability-support/register.mjs', 'apps/gateway/src/main.ts'],
    {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        JWT_SECRET: TEST_SECRET,
        HOST: '127.0.0.1',
        PORT: String(port),
        SIMULATOR: 'off',
        LOG_LEVEL: 'silent',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${base}/health`)).status === 200) return { child, base, exited };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not become healthy: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
