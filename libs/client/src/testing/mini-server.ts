// Moved to test/fixtures/client; kept only for libs/react/src/hooks.spec.tsx until its import is switched.
export { MiniServer } from '../../../../test/fixtures/client/mini-server.js';
