/** The validated, typed configuration every module reads. Built once from the environment. */
export interface WsLimits {
  heartbeatIntervalMs: number;
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** RATE_LIMITED answers in a row before the connection is closed with 1008. */
  floodCloseAfter: number;
  maxSubscriptions: number;
  /** Subscribers of one `package:{tn}` or `schedule:{id}` topic on this instance. */
  maxSubscribersPerResource: number;
  /** permessage-deflate offered to clients that ask (WS_COMPRESSION=on); frames under 1 KiB stay plain. */
  compression: boolean;
  /** Interval of the comment line on Server-Sent Events streams (the contract: at most 15 s). */
  sseKeepAliveMs: number;
  maxConnectionsPerUser: number;
  /** 0 disables the per-IP caps: behind a load balancer many users share one address. */
  maxConnectionsPerIp: number;
  handshakesPerSecondPerIp: number;
  trustProxy: boolean;
  allowedOrigins: string[];
  /** 0 sends each frame at once; >0 coalesces pending frames per client for that many ms. */
  coalesceMs: number;
  /**
   * Send-buffer size above which a client counts as behind: its events queue per connection and
   * map_updates / dashboard_metrics keep only the latest value (conflation) until it drains.
   */
  conflateAboveBytes: number;
}

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  instanceId: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Prefix of every Redis key this deployment uses, so deployments can share one Redis. */
  redisPrefix: string;
  simulator: boolean;
  simulatorRate: number;
  /** SIMULATOR_SEED: same seed, same traffic; unset picks a random seed per start. */
  simulatorSeed?: number;
  /** SIMULATOR_MAX_PACKAGES: live simulated packages at most; unset derives it from the rate. */
  simulatorMaxPackages?: number;
  /** DASHBOARD_DIR: the built dashboard; unset looks in apps/dashboard/dist. */
  dashboardDir?: string;
  jwt: {
    /** HS256 key; unset when a public key is configured. */
    secret?: string;
    publicKey?: string;
    issuer?: string;
    audience?: string;
  };
  devLogin: boolean;
  history: { maxEvents: number; maxAgeMs: number };
  /** How far back important events are kept in storage for resumes past the hot history; 0 turns it off. */
  durableHistoryMs: number;
  /**
   * Stored events committed but not yet relayed onto the bus (Redis down) beyond which writes
   * that would add more are refused with 503 before committing.
   */
  eventBacklogMax: number;
  /** Old-generation growth past the live heap, in percent (runtime/gc-tuning.ts); 0 leaves it to V8. */
  gcHeapGrowingPercent: number;
  ws: WsLimits;
  anomalies: {
    sweepMs: number;
    /** A non-final package without a scan for longer than this is stuck. */
    stuckAfterMs: number;
    maxSpeedKmh: number;
    /** Consecutive scans moving away from the destination that make a route deviation. */
    deviationScans: number;
  };
  /** dashboard_metrics is published at most once per this many ms. */
  metrics: { publishMs: number };
  /** Route planning: solver time limit, worker pool size, average speed for travel times. */
  schedules: { timeoutMs: number; workers: number; speedKmh: number };
  /** An agent silent for longer than timeoutMs is published offline. */
  agents: { timeoutMs: number };
  /** system_health is published every intervalMs. */
  systemHealth: { intervalMs: number };
  logLevel: string;
  /** HTTP rate limit on ingest (write) routes; 0 = off, the default (see docs/PROTOCOL.md section 6). */
  http: { rateLimit: number; rateWindowMs: number };
  /**
   * Scans admitted to the write path and not yet answered, at most (single scans count 1, a batch
   * its length); beyond it scan routes answer 429 with Retry-After instead of queueing.
   */
  ingest: { maxPendingScans: number };
  /** GET /metrics: a static scrape token (METRICS_TOKEN); unset = an admin JWT is required. */
  observability: { metricsToken?: string };
}

/** Injection token for AppConfig (an interface has no runtime value). */
export const APP_CONFIG = Symbol('APP_CONFIG');
