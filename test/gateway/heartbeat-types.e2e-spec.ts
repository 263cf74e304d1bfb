import WebSocket from 'ws';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { ConnectionRegistry } from '../../apps/gateway/src/gateway/connection-registry.js';
import { startApp, type TestApp } from '../support/app.js';
import { viewer } from '../support/tokens.js';
import { anomaly, connected, type TestClient } from '../support/ws.js';

/** Opens a bare `ws` client and collects its text frames as strings (a `pong` is not JSON). */
async function bare(url: string): Promise<{ ws: WebSocket; texts: string[]; next: () => Promise<string> }> {
  const ws = new WebSocket(url);
  const texts: string[] = [];
  let waiting: ((text: string) => void) | undefined;
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    texts.push(text);
    waiting?.(text);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let read = 0;
  const next = async (): Promise<string> => {
    if (read < texts.length) return texts[read++];
    return new Promise((resolve) => {
      waiting = (t) => {
        waiting = undefined;
        read += 1;
        resolve(t);
      };
    });
  };
  return { ws, texts, next };
}

describe('plain-text heartbeat and the types filter (docs/PROTOCOL.md section 3, revision 2)', () => {
  let t: TestApp;
  const open: (TestClient | WebSocket)[] = [];

  beforeAll(async () => {
    t = await startApp({ WS_RATE_BURST: '5', WS_RATE_PER_SECOND: '1' });
  });
  afterEach(() => {
    for (const c of open.splice(0)) (c instanceof WebSocket ? c : c.ws).terminate();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a text frame exactly `ping` gets a text frame exactly `pong`; anything else is still JSON', async () => {
    const c = await bare(`${t.ws}/ws/connect?token=${viewer()}`);
    open.push(c.ws);
    expect(JSON.parse(await c.next()).type).toBe('connected');
    c.ws.send('ping');
    expect(await c.next()).toBe('pong');
    c.ws.send('PING');
    expect(JSON.parse(await c.next()).data.code).toBe('INVALID_JSON');
    c.ws.send('ping ');
    expect(JSON.parse(await c.next()).data.code).toBe('INVALID_JSON');
    // As a binary frame the same bytes are not the heartbeat.
    c.ws.send(Buffer.from('ping'), { binary: true });
    expect(JSON.parse(await c.next()).data.code).toBe('INVALID_JSON');
  });

  it('text pings count against the rate limit', async () => {
    const c = await bare(`${t.ws}/ws/connect?token=${viewer()}`);
    open.push(c.ws);
    await c.next(); // connected
    for (let i = 0; i < 8; i++) c.ws.send('ping');
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) answers.push(await c.next());
    expect(answers.filter((a) => a === 'pong').length).toBeLessThanOrEqual(6);
    expect(answers.some((a) => a.startsWith('{') && JSON.parse(a).data.code === 'RATE_LIMITED')).toBe(true);
  });

  describe('types', () => {
    const client = async (): Promise<TestClient> => {
      const c = await connected(t.ws, '/ws/connect', { token: viewer() });
      open.push(c);
      return c;
    };

    it('delivers only the listed event types of the topic', async () => {
      const c = await client();
      const reply = await c.request('subscribe', { topics: ['anomalies'], filter: { types: ['anomaly_resolved'] } });
      expect(reply.type).toBe('subscribed');
      const bus = t.app.get(EventBus);
      await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'a-det' }));
      await bus.publish(
        'anomalies',
        'anomaly_resolved',
        anomaly({ anomalyId: 'a-res', resolvedAt: new Date().toISOString() }),
      );
      const got = await c.next((f) => f.topic === 'anomalies');
      expect(got).toMatchObject({ type: 'anomaly_resolved', data: { anomalyId: 'a-res' } });
      expect(c.all((f) => f.type === 'anomaly_detected')).toHaveLength(0);
    });

    it('combines with the other filter keys', async () => {
      const c = await client();
      await c.request('subscribe', {
        topics: ['anomalies'],
        filter: { types: ['anomaly_detected'], minSeverity: 'high' },
      });
      const bus = t.app.get(EventBus);
      await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'low', severity: 'low' }));
      await bus.publish('anomalies', 'anomaly_resolved', anomaly({ anomalyId: 'res', severity: 'critical' }));
      await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'crit', severity: 'critical' }));
      expect((await c.next((f) => f.topic === 'anomalies')).data.anomalyId).toBe('crit');
      expect(c.all((f) => f.topic === 'anomalies')).toHaveLength(1);
    });

    it('still sends snapshots', async () => {
      const c = await client();
      const reply = await c.request('subscribe', {
        topics: ['dashboard_metrics'],
        filter: { types: ['dashboard_metrics'] },
      });
      expect(reply.type).toBe('subscribed');
      expect(await c.next('snapshot')).toMatchObject({ topic: 'dashboard_metrics' });
    });

    it.each([
      ['a type the topic never carries', ['package_updates'], ['anomaly_resolved']],
      ['a type that does not exist', ['anomalies'], ['anomaly_exploded']],
      ['an empty list', ['anomalies'], []],
    ])('%s is INVALID_MESSAGE and subscribes nothing', async (_name, topics, types) => {
      const c = await client();
      const reply = await c.request('subscribe', { topics, filter: { types } });
      expect(reply).toMatchObject({ type: 'error', data: { code: 'INVALID_MESSAGE' } });
      const id = c.all('connected')[0].data.connectionId as string;
      expect(t.app.get(ConnectionRegistry).get(id)?.topics.size).toBe(0);
    });
  });
});
