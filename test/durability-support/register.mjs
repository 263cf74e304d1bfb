// Lets a plain `node` child run the gateway from its TypeScript sources (for the kill -9 restart
// suite): no build into the shared dist/, and the child runs exactly the code under test.
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
