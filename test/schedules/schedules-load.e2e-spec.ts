import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startApp, type TestApp } from '../support/app.js';
import { callApp } from '../support/http.js';
import { token } from '../support/tokens.js';
import { connected, type TestClient } from '../support/ws.js';

/**
 * Generous on purpose: the machine running the suite may be busy. Planning 2,000 stops on the
 * event loop itself would stall it for the whole solve (seconds), far beyond this.
 */
const P99_BOUND_MS = 300;

describe('a 2,000-stop schedule runs off the event loop', () => {
  let t: TestApp;
  let c: TestClient;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await c?.close();
    await t.close();
  });

  it('completes while the gateway event loop stays responsive', async () => {
    const bearer = token({ sub: 'loader', roles: ['viewer'] });
    let s = 7;
    const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const stops = Array.from({ length: 2000 }, (_, i) => ({
      id: `s${i}`,
      latitude: 52.2 + r() * 0.36,
      longitude: 4.6 + r() * 0.6,
      serviceMinutes: 2,
      ...(i % 5 === 0 ? { windowStart: 0, windowEnd: 900 } : {}),
    }));
    const res = await callApp(t, 'POST', '/schedules', bearer, {
      name: 'big',
      depot: { latitude: 52.37, longitude: 4.9 },
      vehicles: 6,
      stops,
    });
    expect(res.status).toBe(202);
    const { topic } = res.body as { topic: string };

    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    c = await connected(t.ws, '/ws/connect', { token: bearer });
    await c.request('subscribe', { topics: [topic] });
    // WebSocket round trips keep flowing while the worker plans.
    let pongs = 0;
    const pinger = setInterval(() => {
      void c.request('ping').then(() => pongs++);
    }, 50);
    let done;
    try {
      done = await c.next((f) => f.type === 'schedule_completed' || f.type === 'schedule_failed', 60_000);
    } finally {
      clearInterval(pinger);
      lag.disable();
    }
    expect(done.type).toBe('schedule_completed');
    expect(done.data.result.routes.flatMap((route: { stops: unknown[] }) => route.stops)).toHaveLength(2000);
    expect(pongs).toBeGreaterThan(0);
    const p99 = lag.percentile(99) / 1e6;
    expect(p99).toBeLessThan(P99_BOUND_MS);
  });
});
