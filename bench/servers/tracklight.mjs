// Contender "tracklight": the production build started exactly as main.ts does (createApp with the
// configuration loaded from the environment). The only addition is the runner's control channel,
// which publishes through the application's own EventBus: the same path a feature module uses.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveControl } from '../lib/harness.mjs';

const build = resolve(process.env.TRACKLIGHT_BUILD ?? 'bench/results/build');
/** @returns {Promise<any>} a module of the build, which has no types of its own here */
const load = (/** @type {string} */ rel) => import(pathToFileURL(join(build, 'apps/gateway/src', rel)).href);

const { createApp } = await load('bootstrap.js');
const { loadConfig } = await load('config/load-config.js');
const { EventBus } = await load('bus/event-bus.js');

const config = loadConfig(process.env);
const app = await createApp(config);
await app.listen(config.port, config.host);
const bus = app.get(EventBus);
const port = app.getHttpServer().address().port;

/** @type {import('../lib/types.mjs').Contender['publish']} */
function publish(topic, data) {
  bus.publish(topic, 'package_update', data).catch((/** @type {unknown} */ err) => {
    process.stderr.write(`bench publish failed: ${String(err)}\n`);
  });
}

serveControl({ publish, port });
