import { SimulatorService } from '../../apps/gateway/src/simulator/simulator.service.js';
import { startApp, type TestApp } from '../support/app.js';
import { viewer } from '../support/tokens.js';
import { connected, type TestClient } from '../support/ws.js';

const RATE = 1000;

describe('demo simulator at a high ingest rate', () => {
  let t: TestApp;
  let client: TestClient | undefined;

  beforeAll(async () => {
    // A short stuck threshold shortens the gap between two scans of a package (a quarter of it),
    // so 400 packages in flight are enough for about 1,000 scans per second.
    t = await startApp({
      SIMULATOR: 'on',
      SIMULATOR_RATE: String(RATE),
      SIMULATOR_MAX_PACKAGES: '400',
      ANOMALY_STUCK_MS: '2000',
    });
  });
  afterAll(async () => {
    await client?.close();
    await t.close();
  });

  it('sends many scans per second in rounds, each committed and published', async () => {
    client = await connected(t.ws, '/ws/map', { token: viewer() });
    // Past the ramp-up (creations, then the first pick-ups a few hundred ms later).
    await client.next('map_update', 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    const before = client.all('map_update').length;
    const startedMs = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    const perSecond = ((client.all('map_update').length - before) * 1000) / (Date.now() - startedMs);
    // Measured 116-194/s on the shared 2-core machine under other suites' load (the CPU, not the
    // simulator, is the limit there); the bound leaves room for that and still needs many
    // scans committed per second, where the default rate (2 actions/s) would give under 2.
    expect(perSecond).toBeGreaterThan(RATE / 20);

    const last = client.all('map_update').at(-1)!;
    const res = await fetch(`${t.http}/packages/${last.data.trackingNumber}`, {
      headers: { authorization: `Bearer ${viewer()}` },
    });
    const body = JSON.parse(await res.text());
    expect(body.scans.map((s: { status: string }) => s.status)).toContain(last.data.status);
    // Far beyond what the default rate (2 actions/s) performs in the same time (under 40).
    expect(t.app.get(SimulatorService).performed).toBeGreaterThan(200);
  }, 40_000);
});
