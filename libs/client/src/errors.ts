import type { ErrorData } from '@tracklight/protocol';

/** The server answered a request with an `error` frame. */
export class ServerError extends Error {
  readonly code: ErrorData['code'];
  readonly topics?: string[];

  constructor(data: ErrorData) {
    super(`${data.code}: ${data.message}`);
    this.name = 'ServerError';
    this.code = data.code;
    this.topics = data.topics;
  }
}

/** No reply with the request's `ref` arrived in time. */
export class RequestTimeoutError extends Error {
  constructor(type: string, timeoutMs: number) {
    super(`no reply to ${type} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The client was closed (by the application, or for good by the server) before the reply. */
export class ClientClosedError extends Error {
  constructor(message = 'client closed') {
    super(message);
    this.name = 'ClientClosedError';
  }
}
