import { createApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/load-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tracklight: configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
}

await main();
