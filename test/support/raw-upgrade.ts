import { connect as netConnect } from 'node:net';

/**
 * Sends a raw HTTP upgrade request, with no WebSocket library in the way, so a refusal before the
 * upgrade is seen as the HTTP answer it is. Resolves with the whole answer once the server ends
 * the socket, or with the head of a `101 Switching Protocols` (the socket is then dropped).
 */
export function rawUpgrade(port: number, path: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      const lines = [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString();
      if (answer.startsWith('HTTP/1.1 101') && answer.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The status line of the answer to a raw upgrade request. */
export async function rawUpgradeStatus(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<string> {
  return (await rawUpgrade(port, path, headers)).split('\r\n')[0];
}
