/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import { WebSocket } from 'ws';
import type { TopicMessage, WebSocketConstructor } from '@tracklight/client';
import { MiniServer } from '../../../test/fixtures/client/mini-server.js';
import { TracklightProvider } from './provider.js';
import { useLiveList } from './use-live-list.js';

interface Pkg {
  trackingNumber: string;
  status: string;
  version?: number;
}

const options = (server: MiniServer) => ({
  url: server.url,
  token: 'tok',
  WebSocket: WebSocket as unknown as WebSocketConstructor,
  pingIntervalMs: 0,
  backoff: { initialMs: 20, maxMs: 50, longMs: 100 },
});

const keyOf = (p: Pkg) => p.trackingNumber;
const fromEvent = (m: TopicMessage<'package_updates'>) => m.data as unknown as Pkg;

/** A REST "database" whose reads can be held open to let events overtake them. */
class FakeRest {
  rows: Pkg[] = [];
  reads = 0;
  private gate?: Promise<void>;
  private open?: () => void;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  load = async (): Promise<Pkg[]> => {
    this.reads += 1;
    const snapshot = this.rows.map((r) => ({ ...r }));
    await this.gate;
    return snapshot;
  };
}

function Packages({ rest }: { rest: FakeRest }) {
  const live = useLiveList({ topic: 'package_updates', load: rest.load, keyOf, fromEvent });
  const rows = [...live.state.map.values()].sort((a, b) => a.trackingNumber.localeCompare(b.trackingNumber));
  return (
    <>
      <output data-testid="flags">{`${live.stale ? 'stale' : 'fresh'}:${live.resyncing ? 'resyncing' : 'idle'}`}</output>
      <output data-testid="rows">
        {rows.map((r) => `${r.trackingNumber}=${r.status}@${r.version ?? '-'}`).join(',')}
      </output>
    </>
  );
}

const rowsText = () => screen.getByTestId('rows').textContent;
const flagsText = () => screen.getByTestId('flags').textContent;

describe('useLiveList: REST list plus live events, rebuilt on every unrecovered subscription', () => {
  let server: MiniServer;
  afterEach(async () => {
    await server.close();
  });

  it('merges events that arrive during the read by version, never stepping back', async () => {
    server = await MiniServer.start();
    const rest = new FakeRest();
    rest.rows = [
      { trackingNumber: 'A', status: 'created', version: 1 },
      { trackingNumber: 'B', status: 'in_transit', version: 3 },
    ];
    rest.hold();
    render(
      <TracklightProvider options={options(server)}>
        <Packages rest={rest} />
      </TracklightProvider>,
    );
    await waitFor(() => expect(rest.reads).toBe(1));
    expect(flagsText()).toBe('stale:resyncing');
    // While the read is open: A moves on (newer than the read), B's event is older than the read.
    act(() => {
      server.publish('package_updates', 'package_update', { trackingNumber: 'A', status: 'picked_up', version: 2 });
      server.publish('package_updates', 'package_update', { trackingNumber: 'B', status: 'picked_up', version: 2 });
      server.publish('package_updates', 'package_update', { trackingNumber: 'C', status: 'created', version: 1 });
    });
    await waitFor(() => expect(rowsText()).toContain('C=created'));
    act(() => rest.release());
    await waitFor(() => expect(flagsText()).toBe('fresh:idle'));
    expect(rowsText()).toBe('A=picked_up@2,B=in_transit@3,C=created@1');
    expect(rest.reads).toBe(1);
  });

  it('keeps its state on a recovered resume and rebuilds from REST after a gap, stale while cut off', async () => {
    server = await MiniServer.start();
    const rest = new FakeRest();
    rest.rows = [{ trackingNumber: 'A', status: 'created', version: 1 }];
    render(
      <TracklightProvider options={options(server)}>
        <Packages rest={rest} />
      </TracklightProvider>,
    );
    await waitFor(() => expect(flagsText()).toBe('fresh:idle'));
    act(
      () =>
        void server.publish('package_updates', 'package_update', {
          trackingNumber: 'A',
          status: 'picked_up',
          version: 2,
        }),
    );
    await waitFor(() => expect(rowsText()).toBe('A=picked_up@2'));

    // A recovered resume: the replay is enough, no second read.
    rest.hold();
    act(() => server.last.socket.terminate());
    await waitFor(() => expect(flagsText()).toMatch(/^stale/));
    await server.waitForConnections(2);
    await waitFor(() => expect(flagsText()).toBe('fresh:idle'));
    expect(rest.reads).toBe(1);

    // A resume the server cannot vouch for: changes made meanwhile come only from REST.
    server.retainedFrom = Number.MAX_SAFE_INTEGER;
    rest.rows = [
      { trackingNumber: 'A', status: 'delivered', version: 5 },
      { trackingNumber: 'D', status: 'created', version: 1 },
    ];
    act(() => server.last.socket.terminate());
    await waitFor(() => expect(rest.reads).toBe(2));
    expect(flagsText()).toBe('stale:resyncing');
    expect(rowsText()).toBe('A=picked_up@2');
    act(() => rest.release());
    await waitFor(() => expect(rowsText()).toBe('A=delivered@5,D=created@1'));
    expect(flagsText()).toBe('fresh:idle');
  });

  it('rebuilds from the snapshot when the topic has no REST read', async () => {
    server = await MiniServer.start({
      snapshots: { map_updates: { positions: [{ packageId: 'p1', trackingNumber: 'M1', status: 'in_transit' }] } },
    });
    function Map() {
      const live = useLiveList({
        topic: 'map_updates',
        keyOf: (p: { trackingNumber: string; status: string }) => p.trackingNumber,
        fromEvent: (m) => (m.type === 'map_update' ? m.data : undefined),
        fromSnapshot: (m) => (m.type === 'snapshot' ? m.data.positions : undefined),
      });
      return (
        <output data-testid="rows">
          {live.stale ? 'stale' : 'fresh'}:
          {[...live.state.map.values()].map((p) => `${p.trackingNumber}=${p.status}`).join(',')}
        </output>
      );
    }
    render(
      <TracklightProvider options={options(server)}>
        <Map />
      </TracklightProvider>,
    );
    await waitFor(() => expect(rowsText()).toBe('fresh:M1=in_transit'));
  });
});
