import { WebSocket } from 'ws';
import { TracklightClient } from './tracklight-client.js';
import { SubscriptionState } from './subscription.js';
import { MiniServer } from '../../../test/fixtures/client/mini-server.js';
import { fakeToken, until, waitForStatus } from '../../../test/fixtures/client/wait.js';

describe('TracklightClient subscription state', () => {
  let server: MiniServer;
  const clients: TracklightClient[] = [];

  function client(): TracklightClient {
    const c = new TracklightClient({
      url: server.url,
      token: fakeToken({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 3600 }),
      WebSocket,
      backoff: { initialMs: 20, maxMs: 100, longMs: 400 },
      pingIntervalMs: 0,
      autoConnect: false,
    });
    clients.push(c);
    return c;
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
  });

  it('goes subscribing, subscribed, subscribing again while the socket is lost, and unsubscribed', async () => {
    server = await MiniServer.start();
    const c = client();
    expect(c.subscriptionState('anomalies')).toBe(SubscriptionState.Unsubscribed);
    const sub = c.subscribe('anomalies', () => undefined);
    expect(sub.state).toBe('subscribing');
    c.connect();
    await sub.ready;
    expect(sub.state).toBe('subscribed');
    expect(c.subscriptionState('anomalies')).toBe('subscribed');
    server.last.socket.terminate();
    await waitForStatus(c, (s) => s.state === 'reconnecting');
    expect(sub.state).toBe('subscribing');
    await until(() => c.isTopicActive('anomalies'));
    expect(sub.state).toBe('subscribed');
    sub.unsubscribe();
    expect(sub.state).toBe('unsubscribed');
    expect(c.subscriptionState('anomalies')).toBe('unsubscribed');
    // A new subscription to the same topic is a new handle; the old one stays unsubscribed.
    const again = c.subscribe('anomalies', () => undefined);
    await again.ready;
    expect(again.state).toBe('subscribed');
    expect(sub.state).toBe('unsubscribed');
  });

  it('reports a topic the server refused as unsubscribed', async () => {
    server = await MiniServer.start({
      onFrame: (conn, f) => {
        if (f.type !== 'subscribe') return false;
        server.send(conn, { type: 'error', ref: f.ref, data: { code: 'FORBIDDEN', message: 'no' } });
        return true;
      },
    });
    const c = client();
    const sub = c.subscribe('system_health', () => undefined);
    c.connect();
    await expect(sub.ready).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(sub.state).toBe('unsubscribed');
  });
});
