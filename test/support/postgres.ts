import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh PostgreSQL database for one suite, or undefined (with a visible message) when no server
 * answers. With CI=true an absent server is a failure, never a silent skip.
 */
export async function createTestDatabase(suite: string): Promise<TestDatabase | undefined> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required in CI (${ADMIN_URL})`, { cause: err });
    console.warn(`[skip] ${suite}: PostgreSQL not reachable at ${ADMIN_URL}, PostgreSQL cases skipped`);
    return undefined;
  }
  const name = `tracklight_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
