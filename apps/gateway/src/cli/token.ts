/**
 * `npm run token -- --sub alice --roles ops[,admin] [--ttl 3600]`: prints a JWT signed with the
 * configured secret (JWT_SECRET, or the dev secret kept in DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Role } from '@tracklight/protocol';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { TokenIssuer } from '../auth/token-issuer.js';

const { values } = parseArgs({
  options: { sub: { type: 'string' }, roles: { type: 'string' }, ttl: { type: 'string' } },
  strict: true,
});

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n`);
  process.exit(2);
}

if (!values.sub) fail('--sub is required, e.g. npm run token -- --sub alice --roles ops');
const roles = values.roles
  ?.split(',')
  .map((r) => r.trim())
  .filter(Boolean);
for (const role of roles ?? []) {
  if (!(ROLES as readonly string[]).includes(role)) fail(`unknown role "${role}" (use ${ROLES.join(', ')})`);
}
const ttl = values.ttl ? Number(values.ttl) : 8 * 3600;
if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');

let config;
try {
  // A CLI outside the app: it validates the environment the same way the gateway does.
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
const issuer = new TokenIssuer(new JwtService({}), config);
if (!issuer.canIssue()) fail('JWT_PUBLIC_KEY is set: tokens are issued by your identity provider, not here');
process.stdout.write(`${issuer.issue({ sub: values.sub, roles: roles as Role[] | undefined, expiresIn: ttl })}\n`);
