import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/load-config.js';

/** If a graceful shutdown hangs (a stuck dependency), the process still exits after this. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    // The one read of the environment: no config exists yet, and everything after takes its
    // values from the validated AppConfig.
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tracklight: configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const app = await createApp(config);
  // enableShutdownHooks (bootstrap.ts) runs app.close() on these signals: the gateway sends every
  // client 1001 and waits for the closes, then Nest re-raises the signal and the process ends.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      new Logger('Main').log({ msg: 'shutting down', signal });
      setTimeout(() => {
        process.stderr.write(`tracklight: shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms, exiting\n`);
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
    });
  }
  await app.listen(config.port, config.host);
  new Logger('Main').log({ msg: 'listening', host: config.host, port: config.port, instanceId: config.instanceId });
}

await main();
