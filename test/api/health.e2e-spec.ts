import { startApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/postgres.js';
import { HealthService } from '../../apps/gateway/src/health/health.service.js';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers ok once ready, without a token', async () => {
    const res = await fetch(`${t.http}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 while a dependency is down', async () => {
    let up = false;
    t.app.get(HealthService).register('storage-test', () => up);
    const down = await fetch(`${t.http}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ failing: ['storage-test'] });
    up = true;
    expect((await fetch(`${t.http}/health`)).status).toBe(200);
  });
});

describe('storage backends', () => {
  it('starts on PostgreSQL with DATABASE_URL and reports healthy', async () => {
    const db = await createTestDatabase('health on PostgreSQL');
    if (!db) return;
    const t = await startApp({ DATABASE_URL: db.url });
    try {
      expect((await fetch(`${t.http}/health`)).status).toBe(200);
    } finally {
      await t.close();
      await db.drop();
    }
  });
});
