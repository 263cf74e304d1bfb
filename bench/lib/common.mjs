// Shared by the load generator and the contender servers: tokens, the event payload and the
// marker the receiver scans for. Kept dependency-free so every process pays the same cost.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Every published event carries `"bench":"<publish µs>:<seq>"` in its data. The receiver finds it
 * with Buffer.indexOf, so it works unchanged inside Tracklight envelopes, bare ws frames and
 * Socket.IO `42[...]` packets, and inside coalesced frames holding several events.
 */
export const MARKER = '"bench":"';

/**
 * One IPC message between the runner and a child process: a command in, an answer or the ready
 * announcement out.
 * @typedef {{ id?: number, cmd?: string, ready?: boolean, port?: number, pid?: number,
 *   result?: any, error?: string, [field: string]: any }} IpcMessage
 */

/** CLOCK_MONOTONIC in µs: on one Linux host it is the same clock in every process. */
export function monoUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

const b64url = (/** @type {unknown} */ value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = b64url({ alg: 'HS256', typ: 'JWT' });

/**
 * @param {Record<string, unknown>} claims
 * @param {string} secret
 */
export function signJwt(claims, secret) {
  const body = `${HEADER}.${b64url(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/**
 * HS256 check used by the ws and Socket.IO contenders, so they pay for auth like Tracklight.
 * @param {unknown} token
 * @param {string} secret
 * @returns {{ sub: string, exp: number, roles?: string[], [claim: string]: unknown } | undefined}
 */
export function verifyJwt(token, secret) {
  if (typeof token !== 'string') return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
    return undefined;
  }
  return claims;
}

/**
 * @param {number} index
 * @param {string} secret
 */
export function tokenFor(index, secret) {
  return signJwt({ sub: `bench-${index}`, roles: ['viewer'], exp: Math.floor(Date.now() / 1000) + 6 * 3600 }, secret);
}

const STATUSES = ['picked_up', 'in_transit', 'at_facility', 'out_for_delivery'];
const CARRIERS = ['FedEx', 'UPS', 'DHL', 'USPS'];

/**
 * A realistic package_update payload (about 330 bytes of JSON), built fresh for every event as a
 * real publisher would. `padding` bytes of filler are added for the slow-consumer scenario.
 */
/**
 * @param {number} seq
 * @param {number} publishUs
 * @returns {Record<string, string | number>}
 */
export function packageUpdate(seq, publishUs, padding = 0) {
  /** @type {Record<string, string | number>} */
  const data = {
    packageId: `pkg-${seq % 100000}`,
    trackingNumber: `TL${String(seq % 100000).padStart(10, '0')}`,
    status: STATUSES[seq % STATUSES.length],
    location: 'Memphis Hub, TN',
    latitude: 35.0421 + (seq % 100) / 1000,
    longitude: -89.9767 - (seq % 100) / 1000,
    carrier: CARRIERS[seq % CARRIERS.length],
    estimatedDelivery: '2026-11-25T18:00:00.000Z',
    lastScanTime: new Date().toISOString(),
    bench: `${publishUs}:${seq}`,
  };
  if (padding > 0) data.notes = 'x'.repeat(padding);
  return data;
}

/**
 * The command loop of a child process driven by the runner over IPC: `{ id, cmd, ... }` in,
 * `{ id, result }` or `{ id, error }` out; announces itself with `ready` and exits with its parent.
 */
/**
 * @param {Record<string, (msg: any) => unknown>} handlers each gets the whole message, its arguments as fields
 * @param {Record<string, unknown>} [ready] more fields of the `ready` announcement (the port)
 */
export function serveCommands(handlers, ready) {
  process.on('message', (/** @type {IpcMessage} */ msg) => {
    const handler = handlers[msg.cmd ?? ''];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${msg.cmd}`);
        return handler(msg);
      })
      .then(
        (result) => process.send?.({ id: msg.id, result }),
        (err) => process.send?.({ id: msg.id, error: String(err?.stack ?? err) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true, pid: process.pid, ...ready });
}
