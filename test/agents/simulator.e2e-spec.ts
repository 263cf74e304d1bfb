import { ModulesContainer } from '@nestjs/core';
import { SimulatorService } from '../../apps/gateway/src/simulator/simulator.service.js';
import { startApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { viewer } from '../support/tokens.js';
import { connected, type TestClient } from '../support/ws.js';

const CARRIERS = ['UPS', 'FedEx', 'DHL', 'USPS', 'Royal Mail', 'DPD', 'Japan Post'];

const backends: [string, () => Promise<TestDatabase | undefined | null>][] = [
  ['SQLite', () => Promise.resolve(null)],
  ['PostgreSQL', () => createTestDatabase('simulator e2e')],
];

describe.each(backends)('demo simulator on %s', (_backend, makeDb) => {
  let t: TestApp | undefined;
  let db: TestDatabase | undefined | null;
  let client: TestClient | undefined;

  beforeAll(async () => {
    db = await makeDb();
    if (db === undefined) return;
    t = await startApp({ SIMULATOR: 'on', SIMULATOR_RATE: '20', ...(db ? { DATABASE_URL: db.url } : {}) });
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
    await db?.drop();
  });

  it('creates packages and scans them through the real API path, visible over WebSocket and REST', async () => {
    if (!t) return;
    const modules = [...t.app.get(ModulesContainer).values()];
    expect(modules.some((m) => m.providers.has(SimulatorService))).toBe(true);
    client = await connected(t.ws, '/ws/map', { token: viewer() });
    const created = await client.next((f) => f.type === 'package_update' && f.data.status === 'created', 10_000);
    expect(CARRIERS).toContain(created.data.carrier);
    expect(created.data.origin.name).not.toBe(created.data.destination.name);
    expect(Date.parse(created.data.estimatedDelivery)).toBeGreaterThan(Date.parse(created.data.createdAt));
    // The first scans (pick-ups) come 5 to 15 seconds after creation.
    const moved = await client.next('map_update', 25_000);
    expect(moved.data).toMatchObject({ trackingNumber: expect.any(String), status: 'picked_up' });

    const res = await fetch(`${t.http}/packages/${moved.data.trackingNumber}`, {
      headers: { authorization: `Bearer ${viewer()}` },
    });
    const body = JSON.parse(await res.text());
    expect(body.scans.map((s: { status: string }) => s.status)).toEqual(
      expect.arrayContaining(['picked_up', 'created']),
    );
    expect(t.app.get(SimulatorService).performed).toBeGreaterThan(1);
  }, 40_000);
});

describe('demo simulator off', () => {
  it('is not even registered unless SIMULATOR is on (the test default)', async () => {
    const t = await startApp();
    try {
      expect(t.config.simulator).toBe(false);
      const modules = [...t.app.get(ModulesContainer).values()];
      expect(modules.some((m) => m.providers.has(SimulatorService))).toBe(false);
    } finally {
      await t.close();
    }
  });
});
