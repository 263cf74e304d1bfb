import { plainToInstance } from 'class-transformer';
import {
  isIn,
  isISO8601,
  isLatitude,
  isLongitude,
  isNotEmpty,
  isNumber,
  isString,
  length,
  maxLength,
  validateSync,
} from 'class-validator';
import { PACKAGE_STATUSES } from '@tracklight/protocol';
import { failingFields, validationFailed } from '../validation/failing-fields.js';
import { CreateScanDto } from './dto/create-scan.dto.js';
import { isTrackingNumber, TRACKING_NUMBER_RULE } from './dto/tracking-number.js';
import { badField } from './package-errors.js';
import type { ScanRequest } from './packages.service.js';

export type CheckedScanItem =
  | { ok: true; trackingNumber: string; scan: ScanRequest }
  /** `body` is the 400 the single-scan route would answer for the same scan. */
  | { ok: false; body: object };

const SCAN_KEYS = new Set(['status', 'location', 'latitude', 'longitude', 'scannedAt', 'scanId']);
const FINITE = { allowNaN: false, allowInfinity: false };
const ISO = { strict: true, strictSeparator: true };
const absent = (v: unknown) => v === undefined || v === null;

/**
 * True only when every rule of CreateScanDto passes, checked with class-validator's own functions
 * and its @IsOptional meaning of absent (undefined or null). Anything else goes to the full
 * validation, which owns the error messages; this is just the cheap way through for the common
 * case, which for a batch of 1,000 scans is most of the validation cost.
 */
export function passesScanRules(body: Record<string, unknown>): boolean {
  for (const key of Object.keys(body)) if (!SCAN_KEYS.has(key)) return false;
  const { status, location, latitude, longitude, scannedAt, scanId } = body;
  // isLatitude formats a number with String() itself; its typing only admits the string.
  return (
    isIn(status, PACKAGE_STATUSES) &&
    isString(location) &&
    isNotEmpty(location) &&
    maxLength(location, 200) &&
    isNumber(latitude, FINITE) &&
    isLatitude(String(latitude)) &&
    isNumber(longitude, FINITE) &&
    isLongitude(String(longitude)) &&
    (absent(scannedAt) || isISO8601(scannedAt, ISO)) &&
    (absent(scanId) || (isString(scanId) && length(scanId, 1, 64)))
  );
}

/** The failing fields of `body` exactly as the global ValidationPipe reports them for CreateScanDto. */
export function scanRuleErrors(body: Record<string, unknown>): ReturnType<typeof failingFields> {
  const dto = plainToInstance(CreateScanDto, body);
  return failingFields(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
}

/**
 * One item of POST /scans, checked in the order the single route checks it: the tracking number
 * (its path parameter there), then the body.
 */
export function checkScanItem(raw: unknown): CheckedScanItem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, body: validationFailed([{ field: 'body', errors: ['a scan must be a JSON object'] }]) };
  }
  const { trackingNumber, ...scan } = raw as Record<string, unknown>;
  if (!isTrackingNumber(trackingNumber)) {
    return {
      ok: false,
      body: badField('trackingNumber', `trackingNumber must be ${TRACKING_NUMBER_RULE}`).getResponse() as object,
    };
  }
  if (!passesScanRules(scan)) {
    const fields = scanRuleErrors(scan);
    if (fields.length) return { ok: false, body: validationFailed(fields) };
  }
  return { ok: true, trackingNumber, scan: scan as unknown as ScanRequest };
}
