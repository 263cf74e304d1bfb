// Part of scripts/docker-check.sh: against the running container, a WebSocket client subscribes to
// package_updates, receives the event of a package created over REST, then `docker stop` must
// close it with 1001 (going away), which tells clients to resume elsewhere.
//   node scripts/docker-ws-check.mjs <http base> <ops token> <container>
import { spawn } from 'node:child_process';
import { WebSocket } from 'ws';

const [base, token, container] = process.argv.slice(2);
/** @returns {never} */
const fail = (/** @type {string} */ msg) => {
  process.stderr.write(`docker-check: FAILED: ${msg}\n`);
  process.exit(1);
};
setTimeout(() => fail('no event and clean close within 30 s'), 30_000).unref();

const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws/connect`, {
  headers: { authorization: `Bearer ${token}` },
});
const trackingNumber = `DOCKER${Date.now()}`;
ws.on('error', (e) => fail(`WebSocket: ${e.message}`));
const onMessage = async (/** @type {Buffer} */ raw) => {
  const frame = JSON.parse(raw.toString());
  if (frame.type === 'connected')
    ws.send(JSON.stringify({ type: 'subscribe', ref: 's', data: { topics: ['package_updates'] } }));
  if (frame.type === 'subscribed') {
    const res = await fetch(`${base}/packages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        trackingNumber,
        carrier: 'DHL',
        origin: { name: 'Berlin', latitude: 52.52, longitude: 13.405 },
        destination: { name: 'Paris', latitude: 48.8566, longitude: 2.3522 },
        estimatedDelivery: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    });
    if (res.status !== 201) fail(`POST /packages answered ${res.status}: ${await res.text()}`);
  }
  if (frame.type === 'error') fail(`error frame: ${JSON.stringify(frame.data)}`);
  if (frame.type === 'package_update' && frame.data.trackingNumber === trackingNumber) {
    process.stdout.write(`docker-check: WebSocket event package_update ${trackingNumber} received\n`);
    spawn('docker', ['stop', '-t', '20', container], { stdio: 'ignore' });
  }
};
ws.on('message', (raw) => {
  // text frames, and ws delivers them as one Buffer by default
  onMessage(/** @type {Buffer} */ (raw)).catch((e) => fail(String(e)));
});
ws.on('close', (code) => {
  if (code !== 1001) fail(`closed with ${code}, expected 1001`);
  process.stdout.write('docker-check: docker stop closed the WebSocket with 1001\n');
  process.exit(0);
});
