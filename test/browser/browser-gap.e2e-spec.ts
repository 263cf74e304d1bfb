import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  describeBrowser,
  ensureDashboardBuilt,
  openBrowser,
  screenshot,
  signIn,
  type BrowserSession,
} from '../support/browser.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { packageBody, postPackage, postScan, rest, type Call } from '../support/http.js';
import { ops } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';

/** What the page and REST are compared on: ids and statuses, sorted, as JSON for a readable diff. */
interface View {
  packages: string;
  anomalies: string;
  notifications: string;
  kpis: string;
}

/**
 * Issue 16, item 6, in Chromium against a real crash: the page open, the gateway (a child process)
 * SIGKILLed, changes made, a gateway back on the same port and data. The page must say "stale"
 * while cut off and match REST again (packages, anomalies, notifications, KPI tiles) within 5 s of
 * reconnecting, without a reload.
 *
 * How the changes stay unheard: they go through a second gateway process on the same DATA_DIR
 * but another port, started after the first was killed and itself SIGKILLed once REST shows them;
 * only then does a gateway start on the page's port. The page only knows its own origin, so it
 * cannot see them early, and one process at a time holds the SQLite file. Restarting on the page's
 * port and racing to write before the page reconnects would not be sound: the page is meant to
 * reconnect within about a second of the server answering (it probes /health), so the writes
 * would land before or after its resume by chance.
 */
/** Both ways back: the resume answered from the event log, and one it cannot vouch for. */
const CASES: [string, string, Record<string, string>][] = [
  ['its resume is exact (the event log holds the gap)', 'exact', {}],
  // No stored history to resume from: every panel must rebuild itself from REST.
  ['its resume is not recovered (DURABLE_HISTORY_SECONDS=0)', 'reload', { DURABLE_HISTORY_SECONDS: '0' }],
];

describeBrowser('browser-gap.e2e-spec')('dashboard after a gateway crash', () => {
  let dataDir: string | undefined;
  let browser: BrowserSession | undefined;
  let page: Page;
  let processes: GatewayProcess[] = [];

  beforeAll(() => ensureDashboardBuilt(), 120_000);

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    for (const g of processes) {
      if (g.child.exitCode === null && g.child.signalCode === null) g.child.kill('SIGKILL');
      await g.exited;
    }
    processes = [];
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  async function gateway(env: Record<string, string>, port?: number): Promise<GatewayProcess> {
    const g = await startGatewayProcess({ DATA_DIR: dataDir!, ...env, ...(port ? { PORT: String(port) } : {}) });
    processes.push(g);
    return g;
  }

  async function crash(g: GatewayProcess): Promise<void> {
    g.child.kill('SIGKILL');
    expect(await g.exited).toBe('SIGKILL');
  }

  const sortedJson = (entries: [string, string][]) =>
    JSON.stringify(Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b))));

  async function pageView(): Promise<View> {
    const read = <T>(script: string) => page.evaluate<T>(script);
    return {
      packages: sortedJson(
        await read<[string, string][]>(
          `[...document.querySelectorAll('section.packages tr[data-tracking]')].map((r) => [r.dataset.tracking, r.dataset.status])`,
        ),
      ),
      anomalies: sortedJson(
        await read<[string, string][]>(
          `[...document.querySelectorAll('section.anomalies li[data-anomaly]')].map((li) => [li.dataset.anomaly, li.dataset.stage])`,
        ),
      ),
      notifications: sortedJson(
        await read<[string, string][]>(
          `[...document.querySelectorAll('section.notifications li[data-notification]')].map((li) => [li.dataset.notification, li.querySelector('strong').textContent])`,
        ),
      ),
      kpis: sortedJson(
        await read<[string, string][]>(
          `[...document.querySelectorAll('section.kpis [data-kpi]')].map((k) => [k.dataset.kpi, k.querySelector('.kpi-value').textContent])`,
        ),
      ),
    };
  }

  async function restView(call: Call): Promise<View> {
    const get = async (path: string) => {
      const reply = await call('GET', path, ops());
      expect(reply.status).toBe(200);
      return reply.body;
    };
    const packages = (await get('/packages?limit=100')).items as { trackingNumber: string; status: string }[];
    const anomalies = (await get('/anomalies?open=true&limit=100')).items as { anomalyId: string }[];
    const notes = (await get('/notifications?limit=20')).items as { notificationId: string; title: string }[];
    const m = (await get('/metrics/dashboard')) as Record<string, number>;
    return {
      packages: sortedJson(packages.map((p) => [p.trackingNumber, p.status])),
      // The overview lists open anomalies (the default tab): REST's open ones, none acknowledged here.
      anomalies: sortedJson(anomalies.map((a) => [a.anomalyId, 'open'])),
      notifications: sortedJson(notes.map((n) => [n.notificationId, n.title])),
      // Every tile, formatted as KpiTiles formats it.
      kpis: sortedJson([
        ['Packages', String(m.totalPackages)],
        ['In transit', String(m.inTransit)],
        ['Delivered', String(m.delivered)],
        ['Delayed', String(m.delayed)],
        ['Open anomalies', String(m.openAnomalies)],
        ['Recovery rate', `${Math.round(m.recoveryRate * 100)}%`],
        ['Avg delivery', `${m.avgDeliveryHours.toFixed(1)} h`],
      ]),
    };
  }

  it.each(CASES)(
    'says stale while cut off, then matches REST within 5 s of reconnecting when %s',
    async (_, name, env) => {
      dataDir = mkdtempSync(join(tmpdir(), 'tracklight-gap-'));
      browser = await openBrowser();
      page = browser.page;
      const first = await gateway(env);
      const port = Number(new URL(first.base).port);
      const firstCall = rest(() => first.base);
      await signIn(page, first.base);
      expect((await postPackage(firstCall, ops(), packageBody('GAPA000001'))).status).toBe(201);
      const leipzig = { status: 'in_transit', location: 'Leipzig', latitude: 51.34, longitude: 12.37 };
      expect((await postScan(firstCall, 'GAPA000001', ops(), leipzig)).status).toBe(201);
      await page.locator('tr[data-tracking="GAPA000001"][data-status="in_transit"]').waitFor({ timeout: 3000 });
      await page.locator('[data-kpi="Packages"] .kpi-value', { hasText: /^1$/ }).waitFor({ timeout: 5000 });
      // A reload would reset this marker: its survival proves the page rebuilt itself in place.
      await page.evaluate('window.sameDocument = true');

      await crash(first);
      await page.locator('.stale-banner').waitFor({ timeout: 5000 });
      expect(await page.locator('.stale-banner').textContent()).toContain('Data is stale');
      for (const panel of ['packages', 'anomalies', 'notifications', 'kpis']) {
        await page.locator(`section.${panel}[data-stale="true"]`).waitFor({ timeout: 2000 });
        // Said in words on each panel, not only in an attribute.
        const mark = page.locator(`section.${panel} .stale-mark`);
        expect(await mark.isVisible()).toBe(true);
        expect(await mark.textContent()).toBe('stale');
      }
      await screenshot(page, `gap-${name}-1-stale`);

      // The changes, through a gateway on another port the page does not know (see above).
      const mid = await gateway(env);
      const midCall = rest(() => mid.base);
      expect((await postPackage(midCall, ops(), packageBody('GAPB000001'))).status).toBe(201);
      const berlin = { status: 'picked_up', location: 'Berlin', latitude: 52.52, longitude: 13.405 };
      expect((await postScan(midCall, 'GAPB000001', ops(), berlin)).status).toBe(201);
      // Berlin to Sydney in a moment: impossible travel, critical, with a critical notification.
      const sydney = { status: 'in_transit', location: 'Sydney', latitude: -33.87, longitude: 151.21 };
      expect((await postScan(midCall, 'GAPB000001', ops(), sydney)).status).toBe(201);
      const dresden = { status: 'at_facility', location: 'Dresden', latitude: 51.05, longitude: 13.74 };
      expect((await postScan(midCall, 'GAPA000001', ops(), dresden)).status).toBe(201);
      // A backwards scan is refused and opens a status_regression anomaly.
      const back = { status: 'picked_up', location: 'Dresden', latitude: 51.05, longitude: 13.74 };
      expect((await postScan(midCall, 'GAPA000001', ops(), back)).status).toBe(409);
      await waitFor(
        async () => {
          const open = (await midCall('GET', '/anomalies?open=true', ops())).body.items as { anomalyType: string }[];
          const notes = (await midCall('GET', '/notifications', ops())).body.items as { level: string }[];
          return (
            open.some((a) => a.anomalyType === 'status_regression') &&
            open.some((a) => a.anomalyType === 'impossible_travel') &&
            notes.some((n) => n.level === 'critical')
          );
        },
        5000,
        'both anomalies and the critical notification in REST',
      );
      await crash(mid);
      expect(await page.locator('.stale-banner').count()).toBe(1);
      expect(await page.locator('tr[data-tracking="GAPB000001"]').count()).toBe(0);

      const startAt = Date.now();
      const restarted = await gateway(env, port);
      const backAt = Date.now();
      const expected = await restView(rest(() => restarted.base));
      expect(expected.packages).toBe(JSON.stringify({ GAPA000001: 'at_facility', GAPB000001: 'in_transit' }));
      // Sydney is also far off GAPB's route: a route deviation may open beside the two asked for.
      const openCount = Object.keys(JSON.parse(expected.anomalies) as object).length;
      expect(openCount).toBeGreaterThanOrEqual(2);
      expect(JSON.parse(expected.kpis) as object).toMatchObject({ Packages: '2', 'Open anomalies': String(openCount) });

      await page.locator('.connection[data-state="open"]').waitFor({ timeout: 10_000 });
      const reconnectMs = Date.now() - backAt;
      const openAt = Date.now();
      let seen: View | undefined;
      try {
        await waitFor(
          async () => JSON.stringify((seen = await pageView())) === JSON.stringify(expected),
          5000,
          'packages, anomalies, notifications and KPI tiles = REST',
        );
      } catch (err) {
        // Show what differed: the timeout alone says nothing.
        expect(seen).toEqual(expected);
        throw err;
      }
      const rebuiltMs = Date.now() - openAt;
      for (const panel of ['packages', 'anomalies', 'notifications', 'kpis']) {
        await page.locator(`section.${panel}[data-stale="false"]`).waitFor({ timeout: 1000 });
        expect(await page.locator(`section.${panel} .stale-mark`).count()).toBe(0);
      }
      expect(await page.locator('.stale-banner').count()).toBe(0);
      expect(await page.evaluate('window.sameDocument')).toBe(true);
      // After an exact resume only the views the server keeps no history of reloaded (key
      // figures and the like): that is "caught up", not a reload. The tooltip names them.
      const detail = page.locator('.connection-detail');
      const reloaded = ((await detail.getAttribute('data-reloaded')) ?? '').split(' ');
      const stored = ['package_updates', 'anomalies', 'notifications'];
      if (name === 'exact') {
        expect(reloaded.filter((t) => stored.includes(t))).toEqual([]);
        expect(await detail.textContent()).toBe('caught up after reconnecting');
        expect(await detail.getAttribute('title')).toContain('key figures');
      } else {
        expect(reloaded).toEqual(expect.arrayContaining(stored));
        expect(await detail.textContent()).toBe('reloaded after reconnecting');
        expect(await detail.getAttribute('title')).toContain('packages');
      }
      if (name === 'exact') {
        // The critical anomaly raised while the page was cut off reaches it as an event.
        const alert = page.locator('.critical-alert');
        await alert.waitFor({ timeout: 1000 });
        expect(await alert.textContent()).toContain('GAPB000001');
      }
      process.stdout.write(
        `browser-gap (${name}): gateway up ${backAt - startAt} ms after its start, page reconnected ${reconnectMs} ms later, matched REST ${rebuiltMs} ms after that\n`,
      );
      expect(reconnectMs).toBeLessThan(2500);
      await screenshot(page, `gap-${name}-2-rebuilt`);
    },
    120_000,
  );
});
