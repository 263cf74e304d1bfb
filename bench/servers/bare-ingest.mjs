// Reference for S9, the practical limit: a bare node:http server writing the same rows as
// Tracklight (package update + scan insert, the same status rules, the same unique scan id) with
// group commit: every request that arrives while a transaction is being written waits for the
// next one, and is answered only after that transaction committed (WAL + synchronous=FULL on
// SQLite, a plain COMMIT on PostgreSQL). INGEST_DB=sqlite (DATA_DIR) or pg (DATABASE_URL).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveControl } from '../lib/harness.mjs';
import { verifyJwt } from '../lib/common.mjs';
import { ingestSchema } from './ingest-schema.mjs';

const build = resolve(process.env.TRACKLIGHT_BUILD ?? 'bench/results/build');
const { checkTransition } = await import(
  pathToFileURL(join(build, 'apps/gateway/src/packages/package-transitions.js')).href
);
// The runner always passes the run's secret.
const secret = /** @type {string} */ (process.env.JWT_SECRET);
const STATUSES = new Set([
  'created',
  'picked_up',
  'in_transit',
  'at_facility',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
]);

/**
 * A scan once validated (validScan): the fields of Tracklight's scan DTO.
 * @typedef {{
 *   trackingNumber: string,
 *   status: string,
 *   location: string,
 *   latitude: number,
 *   longitude: number,
 *   scanId?: string,
 * }} Scan
 */
/**
 * A packages row, with those of its scan ids the batch at hand asks about.
 * @typedef {{
 *   id: string,
 *   tracking_number: string,
 *   carrier: string,
 *   status: string,
 *   status_before_exception: string | null,
 *   location: string,
 *   latitude: number,
 *   longitude: number,
 *   last_scan_ms: number | string,
 *   version: number,
 *   scanIds: Set<string>,
 * }} PackageRow
 */
/** The answer to one scan and, when it was accepted, the scan row to insert. @typedef {{ status: number, body: unknown, row?: ScanRow }} Outcome */
/** @typedef {Scan & { packageId: string, now: number }} ScanRow */
/**
 * A new packages row: origin (on, olat, olon), destination (dn, dlat, dlon), estimated delivery.
 * @typedef {{
 *   id: string,
 *   tracking_number: string,
 *   carrier: string,
 *   on: string,
 *   olat: number,
 *   olon: number,
 *   dn: string,
 *   dlat: number,
 *   dlon: number,
 *   eta: number,
 *   now: number,
 * }} NewPackage
 */
/** @typedef {{ write: (scans: Scan[]) => Promise<Outcome[]>, createPackage: (p: NewPackage) => Promise<boolean> }} Store */

// The runner passes DATA_DIR to the SQLite variant (and DATABASE_URL to the PostgreSQL one).
const store =
  process.env.INGEST_DB === 'pg'
    ? await pgStore(process.env.DATABASE_URL)
    : await sqliteStore(/** @type {string} */ (process.env.DATA_DIR));

/**
 * Applies one scan to `pkg` (mutated in place); the outcome and, when accepted, the rows to write.
 * @param {PackageRow | undefined} pkg
 * @param {Scan} scan
 * @param {number} now
 * @returns {Outcome}
 */
function decide(pkg, scan, now) {
  if (!pkg) return { status: 404, body: { statusCode: 404, message: 'unknown package' } };
  if (scan.scanId !== undefined && pkg.scanIds.has(scan.scanId)) return { status: 200, body: view(pkg) };
  const check = checkTransition(pkg.status, scan.status, pkg.status_before_exception ?? undefined);
  if (!check.ok) return { status: 409, body: { statusCode: 409, allowed: check.allowed } };
  Object.assign(pkg, {
    status: scan.status,
    status_before_exception: check.beforeException ?? null,
    location: scan.location,
    latitude: scan.latitude,
    longitude: scan.longitude,
    last_scan_ms: now,
    version: pkg.version + 1,
  });
  if (scan.scanId !== undefined) pkg.scanIds.add(scan.scanId);
  return { status: 201, body: view(pkg), row: { packageId: pkg.id, ...scan, now } };
}

/** @param {PackageRow} p */
function view(p) {
  return {
    packageId: p.id,
    trackingNumber: p.tracking_number,
    status: p.status,
    location: p.location,
    latitude: p.latitude,
    longitude: p.longitude,
    carrier: p.carrier,
    lastScanTime: new Date(Number(p.last_scan_ms)).toISOString(),
    version: p.version,
  };
}

/**
 * @param {string} dir
 * @returns {Promise<Store>}
 */
async function sqliteStore(dir) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dir, 'bare.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  for (const sql of ingestSchema('sqlite')) db.exec(sql);
  const find = db.prepare('SELECT * FROM packages WHERE tracking_number = ?');
  const hasScan = db.prepare('SELECT 1 FROM package_scans WHERE package_id = ? AND scan_id = ?').pluck();
  const insertScan = db.prepare(
    'INSERT INTO package_scans (package_id, status, location, latitude, longitude, scanned_at_ms, recorded_at_ms, scan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare(
    'UPDATE packages SET status = ?, status_before_exception = ?, location = ?, latitude = ?, longitude = ?, last_scan_ms = ?, version = ? WHERE id = ?',
  );
  const insertPackage = db.prepare(
    `INSERT INTO packages VALUES (@id, @tracking_number, @carrier, 'created', NULL, @on, @olat, @olon, @dn, @dlat, @dlon, @on, @olat, @olon, @eta, @now, @now, NULL, 1)`,
  );
  const writeAll = db.transaction((/** @type {Scan[]} */ scans) => {
    const now = Date.now();
    return scans.map((scan) => {
      const row = /** @type {any} */ (find.get(scan.trackingNumber));
      const pkg = row && {
        ...row,
        scanIds: new Set(scan.scanId !== undefined && hasScan.get(row.id, scan.scanId) ? [scan.scanId] : []),
      };
      const out = decide(pkg, scan, now);
      if (out.row) {
        insertScan.run(
          pkg.id,
          scan.status,
          scan.location,
          scan.latitude,
          scan.longitude,
          now,
          now,
          scan.scanId ?? null,
        );
        update.run(
          pkg.status,
          pkg.status_before_exception,
          pkg.location,
          pkg.latitude,
          pkg.longitude,
          now,
          pkg.version,
          pkg.id,
        );
      }
      return out;
    });
  });
  return {
    // async, as the PostgreSQL variant's: a throw of the synchronous transaction becomes a rejection.
    // eslint-disable-next-line @typescript-eslint/require-await
    write: async (scans) => writeAll(scans),
    // eslint-disable-next-line @typescript-eslint/require-await
    createPackage: async (p) => {
      insertPackage.run(p);
      return true;
    },
  };
}

/**
 * @param {string | undefined} url
 * @returns {Promise<Store>}
 */
async function pgStore(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const sql of ingestSchema('pg')) await client.query(sql);
  return {
    // One round trip each for: lock and read the packages, the scan ids already there, the scan
    // inserts (one statement), the package updates (one statement), plus BEGIN and COMMIT.
    write: async (scans) => {
      const now = Date.now();
      await client.query('BEGIN');
      try {
        const tns = [...new Set(scans.map((s) => s.trackingNumber))];
        const { rows } = await client.query('SELECT * FROM packages WHERE tracking_number = ANY($1) FOR UPDATE', [tns]);
        const byTn = new Map(rows.map((r) => [r.tracking_number, { ...r, scanIds: new Set() }]));
        const ids = scans.filter((s) => s.scanId !== undefined).map((s) => s.scanId);
        if (ids.length) {
          const seen = await client.query(
            'SELECT p.tracking_number, s.scan_id FROM package_scans s JOIN packages p ON p.id = s.package_id WHERE p.tracking_number = ANY($1) AND s.scan_id = ANY($2)',
            [tns, ids],
          );
          for (const r of seen.rows) byTn.get(r.tracking_number)?.scanIds.add(r.scan_id);
        }
        const out = scans.map((scan) => decide(byTn.get(scan.trackingNumber), scan, now));
        const rowsToInsert = /** @type {ScanRow[]} */ (out.filter((o) => o.row).map((o) => o.row));
        if (rowsToInsert.length) {
          const col = (/** @type {(r: ScanRow) => unknown} */ f) => rowsToInsert.map(f);
          await client.query(
            `INSERT INTO package_scans (package_id, status, location, latitude, longitude, scanned_at_ms, recorded_at_ms, scan_id)
             SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::float8[], $5::float8[], $6::bigint[], $6::bigint[], $7::varchar[])`,
            [
              col((r) => r.packageId),
              col((r) => r.status),
              col((r) => r.location),
              col((r) => r.latitude),
              col((r) => r.longitude),
              col((r) => r.now),
              col((r) => r.scanId ?? null),
            ],
          );
          const touched = [...new Set(rowsToInsert.map((r) => r.packageId))].map((id) =>
            [...byTn.values()].find((p) => p.id === id),
          );
          const pc = (/** @type {(p: PackageRow) => unknown} */ f) => touched.map(f);
          await client.query(
            `UPDATE packages p SET status = u.status, status_before_exception = u.sbe, location = u.location, latitude = u.lat,
               longitude = u.lon, last_scan_ms = u.ms, version = u.version
             FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::float8[], $6::float8[], $7::bigint[], $8::int[])
               AS u(id, status, sbe, location, lat, lon, ms, version) WHERE p.id = u.id`,
            [
              pc((p) => p.id),
              pc((p) => p.status),
              pc((p) => p.status_before_exception),
              pc((p) => p.location),
              pc((p) => p.latitude),
              pc((p) => p.longitude),
              pc((p) => p.last_scan_ms),
              pc((p) => p.version),
            ],
          );
        }
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    },
    createPackage: async (p) => {
      await client.query(
        `INSERT INTO packages VALUES ($1, $2, $3, 'created', NULL, $4, $5, $6, $7, $8, $9, $4, $5, $6, $10, $11, $11, NULL, 1)`,
        [p.id, p.tracking_number, p.carrier, p.on, p.olat, p.olon, p.dn, p.dlat, p.dlon, p.eta, p.now],
      );
      return true;
    },
  };
}

// Group commit: scans that arrive while a transaction is being written go into the next one.
/** @type {{ scans: Scan[], resolve: (out: Outcome[]) => void, reject: (err: unknown) => void }[]} */
let queue = [];
let writing = false;
/**
 * @param {Scan[]} scans
 * @returns {Promise<Outcome[]>}
 */
function submit(scans) {
  return new Promise((resolve, reject) => {
    queue.push({ scans, resolve, reject });
    if (!writing) setImmediate(() => void flush());
  });
}
async function flush() {
  if (writing || queue.length === 0) return;
  writing = true;
  const batch = queue;
  queue = [];
  try {
    const out = await store.write(batch.flatMap((b) => b.scans));
    let at = 0;
    for (const b of batch) {
      b.resolve(out.slice(at, at + b.scans.length));
      at += b.scans.length;
    }
  } catch (err) {
    for (const b of batch) b.reject(err);
  } finally {
    writing = false;
    if (queue.length) setImmediate(() => void flush());
  }
}

const bad = (/** @type {string} */ field) => ({
  status: 400,
  body: { statusCode: 400, fields: [{ field, errors: [`${field} is invalid`] }] },
});
const finite = (/** @type {unknown} */ v, /** @type {number} */ max) =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= max;
/** @param {any} s a scan of a parsed request body, unchecked */
function validScan(s) {
  if (typeof s !== 'object' || s === null) return bad('body');
  if (typeof s.trackingNumber !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(s.trackingNumber))
    return bad('trackingNumber');
  if (!STATUSES.has(s.status)) return bad('status');
  if (typeof s.location !== 'string' || s.location.length < 1 || s.location.length > 200) return bad('location');
  if (!finite(s.latitude, 90)) return bad('latitude');
  if (!finite(s.longitude, 180)) return bad('longitude');
  if (s.scanId !== undefined && (typeof s.scanId !== 'string' || s.scanId.length < 1 || s.scanId.length > 64))
    return bad('scanId');
  return undefined;
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

/**
 * @param {http.IncomingMessage} req
 * @param {any} body the parsed request body, unchecked
 * @returns {Promise<{ status: number, body: unknown }>}
 */
async function handle(req, body) {
  const claims = verifyJwt((req.headers.authorization ?? '').slice(7), secret);
  if (!claims) return { status: 401, body: { statusCode: 401 } };
  if (!claims.roles?.some((r) => r === 'ops' || r === 'admin')) return { status: 403, body: { statusCode: 403 } };
  // a server-side request always has its url
  const path = /** @type {string} */ (req.url).split('?')[0];
  if (path === '/packages') {
    const now = Date.now();
    await store.createPackage({
      id: randomUUID(),
      tracking_number: body.trackingNumber,
      carrier: body.carrier,
      on: body.origin.name,
      olat: body.origin.latitude,
      olon: body.origin.longitude,
      dn: body.destination.name,
      dlat: body.destination.latitude,
      dlon: body.destination.longitude,
      eta: Date.parse(body.estimatedDelivery),
      now,
    });
    return { status: 201, body: { trackingNumber: body.trackingNumber, status: 'created' } };
  }
  const single = /^\/packages\/([^/]+)\/scans$/.exec(path);
  if (single) {
    const scan = { ...body, trackingNumber: decodeURIComponent(single[1]) };
    const invalid = validScan(scan);
    if (invalid) return invalid;
    const [out] = await submit([scan]);
    return out;
  }
  if (path === '/scans') {
    if (!Array.isArray(body?.scans) || body.scans.length < 1 || body.scans.length > 1000) return bad('scans');
    const results = new Array(body.scans.length);
    /** @type {{ index: number, s: Scan }[]} */
    const valid = [];
    body.scans.forEach((/** @type {unknown} */ s, /** @type {number} */ index) => {
      const invalid = validScan(s);
      if (invalid) results[index] = { index, ...invalid };
      else valid.push({ index, s: /** @type {Scan} */ (s) });
    });
    const out = await submit(valid.map((v) => v.s));
    valid.forEach((v, i) => (results[v.index] = { index: v.index, status: out[i].status, body: out[i].body }));
    return { status: 200, body: { results } };
  }
  return { status: 404, body: { statusCode: 404 } };
}

const server = http.createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    } catch {
      send(res, 400, { statusCode: 400, message: 'invalid JSON' });
      return;
    }
    handle(req, body).then(
      (out) => send(res, out.status, out.body),
      (err) => send(res, 500, { statusCode: 500, message: String(err) }),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  serveControl({ publish: () => {}, port: /** @type {import('node:net').AddressInfo} */ (server.address()).port });
});
