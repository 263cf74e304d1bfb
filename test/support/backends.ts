import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export type BackendName = 'SQLite' | 'PostgreSQL';

interface Closable {
  close(): unknown;
}

export interface BackendOptions {
  /** Extra environment for every app the suite starts. */
  env?: Record<string, string>;
  /** Start one app before the tests (default true); false when the tests start their own. */
  start?: boolean;
  /** One DATA_DIR for every app of the suite, so the SQLite file outlives a restart. */
  sharedDataDir?: boolean;
}

export interface BackendContext {
  readonly backend: BackendName;
  /** The PostgreSQL database of the suite; null on SQLite. */
  readonly db: TestDatabase | null;
  /** The app started last (by the suite's beforeAll or by start()). */
  app(): TestApp;
  /** Starts an app on this backend; it is closed after the suite unless the test closed it first. */
  start(env?: Record<string, string>): Promise<TestApp>;
  /** Closes `it` after the suite (WebSocket clients and the like). */
  track<T extends Closable>(it: T): T;
}

/** Probed once per test file: a server that answers is used by every block of the file. */
let postgres: Promise<boolean> | undefined;

async function postgresAvailable(title: string): Promise<boolean> {
  postgres ??= (async () => {
    // createTestDatabase owns the skip message and the CI=true failure; a probe database is dropped at once.
    const probe = await createTestDatabase(title);
    await probe?.drop();
    return probe !== undefined;
  })();
  return postgres;
}

/**
 * Declares the suite twice, on SQLite and on PostgreSQL (`%s` in the title names the backend).
 * Without PostgreSQL its block is a visible describe.skip, so no test there can pass by doing
 * nothing; with CI=true a missing PostgreSQL fails the file instead. Top-level await it.
 */
export async function describeOnBackends(
  title: string,
  options: BackendOptions,
  body: (ctx: BackendContext) => void,
): Promise<void> {
  const pgUp = await postgresAvailable(title.replace('%s', 'PostgreSQL'));
  for (const backend of ['SQLite', 'PostgreSQL'] as const) {
    const name = title.replace('%s', backend);
    const declare = backend === 'PostgreSQL' && !pgUp ? describe.skip : describe;
    declare(name, () => body(context(backend, name, options)));
  }
}

function context(backend: BackendName, title: string, options: BackendOptions): BackendContext {
  let db: TestDatabase | null = null;
  let dataDir: string | undefined;
  let current: TestApp | undefined;
  const apps: TestApp[] = [];
  const closables: Closable[] = [];

  const ctx: BackendContext = {
    backend,
    get db() {
      return db;
    },
    app() {
      if (!current) throw new Error(`${title}: no app started`);
      return current;
    },
    async start(env = {}) {
      const app = once(
        await startApp({
          ...options.env,
          ...(dataDir ? { DATA_DIR: dataDir } : {}),
          ...(db ? { DATABASE_URL: db.url } : {}),
          ...env,
        }),
      );
      apps.push(app);
      current = app;
      return app;
    },
    track(it) {
      closables.push(it);
      return it;
    },
  };

  beforeAll(async () => {
    if (backend === 'PostgreSQL') {
      const created = await createTestDatabase(title);
      if (!created) throw new Error(`${title}: PostgreSQL went away after the probe`);
      db = created;
    }
    if (options.sharedDataDir) dataDir = mkdtempSync(join(tmpdir(), 'tracklight-backend-'));
    if (options.start ?? true) await ctx.start();
  });
  afterAll(async () => {
    await Promise.all(closables.map((c) => c.close()));
    for (const app of apps) await app.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return ctx;
}

/** A second close (the test closed it, then the suite does) is a no-op. */
function once(app: TestApp): TestApp {
  let closing: Promise<void> | undefined;
  return { ...app, close: () => (closing ??= app.close()) };
}
