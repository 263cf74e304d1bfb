/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import { jest } from '@jest/globals';
import { StrictMode } from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { WebSocket } from 'ws';
import { TracklightClient, type TopicMessage, type WebSocketConstructor } from '@tracklight/client';
import { MiniServer } from '../../../test/fixtures/client/mini-server.js';
import { TracklightProvider } from './provider.js';
import { useTopic } from './use-topic.js';
import { useWebSocket } from './use-websocket.js';

// Hooks are client behaviour: a small protocol-speaking ws server stands in for the gateway here;
// test/client/client.e2e-spec.ts and test/browser/browser.e2e-spec.ts run the same code against the real one.
const options = (server: MiniServer) => ({
  url: server.url,
  token: 'tok',
  WebSocket: WebSocket as unknown as WebSocketConstructor,
  pingIntervalMs: 0,
});

function Status() {
  const { status, isConnected } = useWebSocket();
  return (
    <p>
      {status.state}:{String(isConnected)}
    </p>
  );
}

describe('TracklightProvider, useWebSocket, useTopic', () => {
  let server: MiniServer;
  afterEach(async () => {
    await server.close();
  });

  it('opens exactly one connection under StrictMode and closes it on unmount', async () => {
    server = await MiniServer.start();
    const view = render(
      <StrictMode>
        <TracklightProvider options={options(server)}>
          <Status />
        </TracklightProvider>
      </StrictMode>,
    );
    await screen.findByText('open:true');
    // Let any stray second connection attempt arrive before counting.
    await act(() => new Promise((r) => setTimeout(r, 100)));
    expect(server.connections).toHaveLength(1);
    const closed = new Promise((resolve) => server.connections[0].socket.once('close', resolve));
    view.unmount();
    expect(await closed).toBe(1000);
  });

  it('sendMessage reaches the server and lastMessage shows the reply', async () => {
    server = await MiniServer.start();
    function Pinger() {
      const { sendMessage, lastMessage, isConnected } = useWebSocket();
      return (
        <>
          <button disabled={!isConnected} onClick={() => sendMessage({ type: 'ping', ref: 'p1' })}>
            ping
          </button>
          <output>{lastMessage?.type}</output>
        </>
      );
    }
    render(
      <TracklightProvider options={options(server)}>
        <Pinger />
      </TracklightProvider>,
    );
    await waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button').disabled).toBe(false));
    act(() => screen.getByRole('button').click());
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('pong'));
    expect(server.last.received).toContainEqual({ type: 'ping', ref: 'p1' });
  });

  it('useTopic without reducer holds the latest snapshot or event data', async () => {
    server = await MiniServer.start({ snapshots: { dashboard_metrics: { totalPackages: 3 } } });
    function Tile() {
      const metrics = useTopic('dashboard_metrics');
      return <p>total {metrics?.totalPackages ?? '-'}</p>;
    }
    render(
      <TracklightProvider options={options(server)}>
        <Tile />
      </TracklightProvider>,
    );
    await screen.findByText('total 3');
    act(() => {
      server.publish('dashboard_metrics', 'dashboard_metrics', { totalPackages: 4 });
    });
    await screen.findByText('total 4');
  });

  it('a second component on a held topic gets the cached snapshot', async () => {
    server = await MiniServer.start({ snapshots: { system_health: { status: 'ok' } } });
    const client = new TracklightClient({ ...options(server), autoConnect: false });
    function Health({ id }: { id: string }) {
      const health = useTopic('system_health');
      return <p>{`${id}:${health?.status ?? '-'}`}</p>;
    }
    const view = render(
      <TracklightProvider client={client}>
        <Health id="a" />
      </TracklightProvider>,
    );
    await screen.findByText('a:ok');
    view.rerender(
      <TracklightProvider client={client}>
        <Health id="a" />
        <Health id="b" />
      </TracklightProvider>,
    );
    await screen.findByText('b:ok');
    expect(server.last.received.filter((f) => f.type === 'subscribe')).toHaveLength(1);
  });

  it("useWebSocket().unsubscribe removes only its own handlers, not another component's", async () => {
    server = await MiniServer.start();
    const raw: number[] = [];
    function Raw() {
      const { subscribe, unsubscribe } = useWebSocket();
      return (
        <>
          <button onClick={() => subscribe('map_updates', (m) => m.type === 'map_update' && raw.push(m.data.latitude))}>
            sub
          </button>
          <button onClick={() => unsubscribe('map_updates')}>unsub</button>
        </>
      );
    }
    function Latest() {
      const pos = useTopic('map_updates');
      return <p>{`lat=${pos && 'latitude' in pos ? pos.latitude : '-'}`}</p>;
    }
    render(
      <TracklightProvider options={options(server)}>
        <Raw />
        <Latest />
      </TracklightProvider>,
    );
    await waitFor(() => expect(server.connections[0]?.topics.has('map_updates')).toBe(true));
    act(() => screen.getByText('sub').click());
    act(() => {
      server.publish('map_updates', 'map_update', { latitude: 1 });
    });
    await screen.findByText('lat=1');
    expect(raw).toEqual([1]);
    act(() => screen.getByText('unsub').click());
    act(() => {
      server.publish('map_updates', 'map_update', { latitude: 2 });
    });
    await screen.findByText('lat=2');
    expect(raw).toEqual([1]);
    expect(server.last.received.some((f) => f.type === 'unsubscribe')).toBe(false);
  });

  it('folds 1,000 events with the reducer, none lost, at most one render per animation frame', async () => {
    server = await MiniServer.start();
    let frames = 0;
    const raf = window.requestAnimationFrame.bind(window);
    const spy = jest.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) =>
      raf((t) => {
        frames += 1;
        cb(t);
      }),
    );
    let renders = 0;
    const reducer = (state: number[], m: TopicMessage<'map_updates'>) =>
      m.type === 'map_update' ? [...state, m.data.latitude] : state;
    function Counter() {
      const seen = useTopic('map_updates', reducer, [] as number[]);
      renders += 1;
      return <p>{`n=${seen.length} last=${seen[seen.length - 1] ?? '-'}`}</p>;
    }
    const client = new TracklightClient({ ...options(server), autoConnect: false });
    render(
      <TracklightProvider client={client}>
        <Counter />
      </TracklightProvider>,
    );
    await waitFor(() => expect(server.connections[0]?.topics.has('map_updates')).toBe(true));
    const rendersBefore = renders;
    const framesBefore = frames;
    act(() => {
      for (let i = 0; i < 1000; i++) server.publish('map_updates', 'map_update', { latitude: i });
    });
    await screen.findByText('n=1000 last=999', undefined, { timeout: 5000 });
    expect(renders - rendersBefore).toBeLessThanOrEqual(frames - framesBefore);
    expect(renders - rendersBefore).toBeLessThan(1000);
    spy.mockRestore();
  });
});
