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

/**
 * How the runner starts a contender (bench/run.mjs): its server script, the dialect its clients
 * speak (`http` for S9's ingest servers, which hold no WebSocket clients) and its endpoints.
 * @typedef {{
 *   script: string,
 *   kind: ContenderKind | 'http',
 *   paths: { packages?: string, connect?: string },
 *   env: Record<string, string>,
 * }} ContenderSpec
 */

/**
 * What a connection subscribes to once connected: nothing (`auto`: the endpoint's own topics),
 * its group's topic and its own (`sparse`), or a fixed list.
 * @typedef {{ mode: 'auto' } | { mode: 'sparse', groups: number } | { mode: 'topics', topics: string[] }} SubscribePlan
 */

/**
 * Where a group of generator connections goes (loadgen's `connect` and `churn` commands).
 * @typedef {{
 *   group: string,
 *   kind: ContenderKind,
 *   port: number,
 *   path: string,
 *   endpoint: string,
 *   secret: string,
 *   userBase: number,
 *   plan?: SubscribePlan,
 * }} ConnectTarget
 */

/** @typedef {ConnectTarget & { count: number, concurrency?: number }} ConnectSpec */

/**
 * Open-loop churn: `rate` connections/s, `total` of them, each closing itself `lifetimeMs` after
 * it became ready.
 * @typedef {ConnectTarget & { rate: number, total: number, lifetimeMs: number, indexBase: number }} ChurnSpec
 */

/**
 * A server's resource usage (lib/harness.mjs `usage` command): CPU µs (user + system, and system
 * alone), page faults, context switches, and memory in bytes.
 * @typedef {{
 *   cpuUs: number,
 *   sysUs: number,
 *   minorFaults: number,
 *   switches: number,
 *   rss: number,
 *   heapUsed: number,
 *   external: number,
 * }} Usage
 */

/**
 * The result of one scenario as saved to bench/results/*.json and read back by the report: its
 * shape is each scenario's own (lib/scenarios.mjs), so fields past the common ones stay untyped.
 * @typedef {{
 *   error?: string,
 *   skipped?: string,
 *   seconds?: number,
 *   loadavg?: { before: number, after: number },
 *   cpuPressure?: number,
 *   [field: string]: any,
 * }} ScenarioResult
 */

/**
 * @typedef {{
 *   startedAt: string,
 *   finishedAt?: string,
 *   command: string,
 *   mode: string,
 *   machine: ReturnType<typeof import('./report.mjs').machineInfo>,
 *   build?: string,
 *   tracklight?: 'built' | 'missing',
 *   profiledTracklightOnly?: 'heap' | 'cpu',
 *   seconds?: number,
 * }} BenchMeta
 */

/** A bench run as saved to bench/results/*.json. @typedef {{ meta: BenchMeta, scenarios: Record<string, ScenarioResult> }} BenchResults */

/** What a scenario gets from the runner (bench/run.mjs). @typedef {import('../run.mjs').BenchContext} BenchContext */

/**
 * One contender of a scenario as saved (lib/scenarios.mjs summarize): each round's result, and
 * the spread over rounds of each metric. Rounds are read back from JSON of any vintage, untyped.
 * @typedef {{ rounds: any[], summary: Record<string, Spread | undefined> }} Summarized
 */

/** @typedef {{ title: string, run: (ctx: BenchContext) => Promise<ScenarioResult> }} Scenario */

/**
 * A .cpuprofile as V8 writes it (the --profile runs): samples and their time deltas always there.
 * @typedef {import('node:inspector').Profiler.Profile & { samples: number[], timeDeltas: number[] }} CpuProfile
 */

export {};
