// Received JSON, asserted field by field by the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  /** The parsed JSON body; undefined when the response has none. */
  body: Json;
}

/** One request with an optional bearer token and JSON body. */
export type Call = (method: string, path: string, bearer?: string, body?: unknown) => Promise<Reply>;

/** Calls against `base()` (read at each call, so it may name an app started later or restarted). */
export function rest(base: () => string | { http: string }): Call {
  return async (method, path, bearer, body) => {
    const target = base();
    const res = await fetch(`${typeof target === 'string' ? target : target.http}${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** One call to `app`, for suites that talk to several apps. */
export function callApp(
  app: { http: string },
  method: string,
  path: string,
  bearer?: string,
  body?: unknown,
): Promise<Reply> {
  return rest(() => app)(method, path, bearer, body);
}

/** A valid POST /packages body (Berlin to Paris, due in two days). */
export function packageBody(trackingNumber: string) {
  return {
    trackingNumber,
    carrier: 'DHL',
    origin: { name: 'Berlin', latitude: 52.52, longitude: 13.405 },
    destination: { name: 'Paris', latitude: 48.8566, longitude: 2.3522 },
    estimatedDelivery: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  };
}

export const postPackage = (call: Call, bearer: string | undefined, body: object): Promise<Reply> =>
  call('POST', '/packages', bearer, body);

export const postScan = (
  call: Call,
  trackingNumber: string,
  bearer: string | undefined,
  body: object,
): Promise<Reply> => call('POST', `/packages/${trackingNumber}/scans`, bearer, body);

/** Unique tracking numbers (8 to 40 letters and digits) for one file: `<prefix><time><serial>`. */
export function trackingNumbers(defaultPrefix: string): (prefix?: string) => string {
  let serial = 0;
  return (prefix = defaultPrefix) =>
    `${prefix}${Date.now().toString(36).toUpperCase()}${(serial++).toString().padStart(4, '0')}`;
}
