// JSDoc types shared by bench/ modules (no runtime code): what crosses a module or process
// boundary is described once here and referred to as import('./types.mjs').Name.

/**
 * One metric over the rounds of a scenario.
 * @typedef {{ median: number, min: number, max: number, n: number, spreadPct: number }} Spread
 */

/**
 * Events of a stream go round-robin over its topics at `rate` events/s.
 * @typedef {{ topics: string[], rate: number }} Stream
 */

/**
 * A contender server as its control channel (lib/harness.mjs) sees it: how to publish one event
 * to a topic, its own counters, and the port clients connect to.
 * @typedef {{
 *   publish: (topic: string, data: Record<string, string | number>) => void,
 *   stats?: () => object,
 *   port: number,
 * }} Contender
 */

/**
 * What a server's `publish` command answers: events published per stream, its peak RSS and how
 * far its publishing fell behind schedule.
 * @typedef {{ published: number[], maxRss: number, maxLagMs: number, seq: number }} PublishResult
 */

/** @typedef {'tracklight' | 'ws' | 'nest' | 'socketio'} ContenderKind */

/**
 * How a contender's clients speak (lib/raw-client.mjs): the upgrade URL of an endpoint, a client
 * message, and whether Socket.IO's engine.io handshake and pings are in the way.
 * @typedef {{
 *   url: (path: string, token: string) => string,
 *   msg: (type: string, data?: unknown) => string,
 *   socketio?: boolean,
 * }} Dialect
 */

/**
 * One closed-loop ingest run (S9, lib/ingest-client.mjs): `senders` connections sending single
 * scans or batches of `batchSize` for `durationMs` to packages `${prefix}0..packages-1`.
 * @typedef {{
 *   port: number,
 *   secret: string,
 *   prefix: string,
 *   packages: number,
 *   mode: 'single' | 'batch',
 *   senders: number,
 *   batchSize?: number,
 *   durationMs: number,
 *   runTag: string,
 * }} IngestOptions
 */

export {};
