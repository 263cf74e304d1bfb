import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { answerPing, MAX_PENDING_PONGS } from './ping-responder.js';

/** A real ws server answering pings with answerPing only, and one client connected to it. */
async function pair(onServerSide: (ws: WebSocket) => void = () => undefined) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (ws) => {
    ws.on('ping', answerPing);
    onServerSide(ws);
  });
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong: false });
  await new Promise((resolve) => client.once('open', resolve));
  return {
    client,
    close: async () => {
      client.terminate();
      for (const ws of server.clients) ws.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('answerPing', () => {
  it('answers each ping with a pong carrying the same payload', async () => {
    const { client, close } = await pair();
    try {
      const pongs: string[] = [];
      const got = new Promise<void>((resolve) =>
        client.on('pong', (data) => {
          pongs.push(data.toString());
          if (pongs.length === 2) resolve();
        }),
      );
      client.ping('first');
      client.ping('second');
      await got;
      expect(pongs).toEqual(['first', 'second']);
    } finally {
      await close();
    }
  });

  it(`cuts off a peer with ${MAX_PENDING_PONGS} pongs unflushed, as ws's autoPong does`, async () => {
    // The server's socket is corked: its pongs stay unflushed, like to a peer that stopped reading.
    const { client, close } = await pair((ws) => (ws as unknown as { _socket: { cork(): void } })._socket.cork());
    try {
      let timer: NodeJS.Timeout | undefined;
      const closed = new Promise<number | 'still open'>((resolve) => {
        client.once('close', resolve);
        timer = setTimeout(() => resolve('still open'), 2_000);
      });
      for (let i = 0; i <= MAX_PENDING_PONGS; i++) client.ping(String(i));
      expect(await closed).toBe(1006);
      clearTimeout(timer);
    } finally {
      await close();
    }
  });
});
