import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppConfig } from './app-config.js';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function optionalInt(env: Env, name: string, min = 0): number | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : int(env, name, 0, min);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on/off (or true/false), got "${env[name]}"`);
}

function url(env: Env, name: string, schemes: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
  }
  return raw;
}

function redisPrefix(env: Env): string {
  const raw = env.REDIS_PREFIX || 'tracklight:';
  if (!/^[A-Za-z0-9:_.{}-]{1,64}$/.test(raw)) {
    throw new ConfigError(`REDIS_PREFIX must be 1-64 characters of A-Z a-z 0-9 : _ . - { }, got "${raw}"`);
  }
  return raw;
}

/**
 * Outside production a missing JWT_SECRET is generated once and kept in DATA_DIR, so tokens
 * minted by `npm run token` stay valid across restarts without any setup.
 */
function devSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const production = nodeEnv === 'production';
  const dataDir = resolve(env.DATA_DIR || './data');
  const publicKey = env.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n') || undefined;
  if (publicKey && !publicKey.includes('-----BEGIN')) {
    throw new ConfigError('JWT_PUBLIC_KEY must be a PEM key (-----BEGIN PUBLIC KEY-----)');
  }
  let secret = env.JWT_SECRET || undefined;
  if (!secret && !publicKey) {
    if (production) {
      throw new ConfigError(
        'JWT_SECRET is required when NODE_ENV=production (or set JWT_PUBLIC_KEY for RS256/ES256 tokens)',
      );
    }
    secret = devSecret(dataDir);
  }
  if (secret && production && secret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters in production');
  }
  const historyMinutes = int(env, 'HISTORY_MAX_AGE_SECONDS', 600, 1);
  return {
    nodeEnv,
    port: int(env, 'PORT', 3000, 0),
    host: env.HOST || '0.0.0.0',
    instanceId: env.INSTANCE_ID || `${hostname()}-${randomUUID().slice(0, 8)}`,
    dataDir,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: redisPrefix(env),
    simulator: bool(env, 'SIMULATOR', false),
    simulatorRate: Number(env.SIMULATOR_RATE ?? 2) || 2,
    simulatorSeed: optionalInt(env, 'SIMULATOR_SEED'),
    simulatorMaxPackages: optionalInt(env, 'SIMULATOR_MAX_PACKAGES'),
    dashboardDir: env.DASHBOARD_DIR || undefined,
    jwt: {
      secret: publicKey ? undefined : secret,
      publicKey,
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
    },
    devLogin: !production && bool(env, 'DEV_LOGIN', true),
    history: { maxEvents: int(env, 'HISTORY_MAX_EVENTS', 10_000, 1), maxAgeMs: historyMinutes * 1000 },
    durableHistoryMs: int(env, 'DURABLE_HISTORY_SECONDS', 24 * 3600) * 1000,
    eventBacklogMax: int(env, 'EVENT_BACKLOG_MAX', 50_000, 1),
    gcHeapGrowingPercent: int(env, 'GC_HEAP_GROWING_PERCENT', 100),
    ws: {
      heartbeatIntervalMs: int(env, 'WS_HEARTBEAT_MS', 30_000, 100),
      maxPayloadBytes: int(env, 'WS_MAX_PAYLOAD_BYTES', 64 * 1024, 1024),
      maxBufferedBytes: int(env, 'WS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024),
      rateLimitPerSecond: int(env, 'WS_RATE_PER_SECOND', 50, 1),
      rateLimitBurst: int(env, 'WS_RATE_BURST', 100, 1),
      floodCloseAfter: int(env, 'WS_FLOOD_CLOSE_AFTER', 50, 1),
      maxSubscriptions: int(env, 'WS_MAX_SUBSCRIPTIONS', 200, 1),
      maxSubscribersPerResource: int(env, 'WS_MAX_SUBSCRIBERS_PER_RESOURCE', 100, 1),
      compression: bool(env, 'WS_COMPRESSION', false),
      sseKeepAliveMs: Math.min(int(env, 'SSE_KEEPALIVE_MS', 15_000, 100), 15_000),
      maxConnectionsPerUser: int(env, 'WS_MAX_CONNECTIONS_PER_USER', 20, 1),
      maxConnectionsPerIp: int(env, 'WS_MAX_CONNECTIONS_PER_IP', 0),
      handshakesPerSecondPerIp: int(env, 'WS_HANDSHAKES_PER_SECOND_PER_IP', 0),
      trustProxy: bool(env, 'TRUST_PROXY', false),
      allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      coalesceMs: int(env, 'WS_COALESCE_MS', 0),
      conflateAboveBytes: int(
        env,
        'WS_CONFLATE_BYTES',
        Math.floor(int(env, 'WS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024) / 4),
        1024,
      ),
    },
    anomalies: {
      sweepMs: int(env, 'ANOMALY_SWEEP_MS', 30_000, 10),
      // The demo simulator stalls parcels for minutes, not hours, so its default threshold is short.
      stuckAfterMs: int(env, 'ANOMALY_STUCK_MS', bool(env, 'SIMULATOR', false) ? 120_000 : 6 * 3600_000, 1),
      maxSpeedKmh: int(env, 'ANOMALY_MAX_SPEED_KMH', 1000, 1),
      deviationScans: int(env, 'ANOMALY_DEVIATION_SCANS', 3, 2),
    },
    metrics: { publishMs: int(env, 'METRICS_PUBLISH_MS', 1000, 10) },
    schedules: {
      timeoutMs: int(env, 'SCHEDULE_TIMEOUT_MS', 120_000, 100),
      // One core stays free for the event loop that serves WebSocket traffic.
      workers: int(env, 'SCHEDULER_WORKERS', Math.max(1, availableParallelism() - 1), 1),
      speedKmh: int(env, 'SCHEDULE_SPEED_KMH', 40, 1),
    },
    agents: { timeoutMs: int(env, 'AGENT_TIMEOUT_MS', 30_000, 10) },
    systemHealth: { intervalMs: int(env, 'HEALTH_INTERVAL_MS', 5000, 10) },
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    http: { rateLimit: int(env, 'HTTP_RATE_LIMIT', 0), rateWindowMs: int(env, 'HTTP_RATE_WINDOW_MS', 60_000, 1) },
    ingest: { maxPendingScans: int(env, 'INGEST_MAX_PENDING_SCANS', 4000, 1) },
    observability: { metricsToken: env.METRICS_TOKEN || undefined },
  };
}
