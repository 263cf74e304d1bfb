export { TracklightClient } from './tracklight-client.js';
export { SubscriptionState, type Subscription, type SubscribeOptions } from './subscription.js';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { ClientClosedError, RequestTimeoutError, ServerError } from './errors.js';
export { refreshDelay, tokenTimes, type TokenTimes } from './jwt.js';
export * from './types.js';
export { SseTransport, sseTransport } from './transport/sse-transport.js';
export { autoTransport } from './transport/auto-transport.js';
