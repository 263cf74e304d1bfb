import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { validationFailed } from '../validation/failing-fields.js';

export const MAX_BATCH_SCANS = 1_000;

/**
 * The envelope of POST /scans, checked at the edge: `{ scans: [...] }` with 1 to 1,000 items and
 * nothing else. The items themselves are checked one by one, each getting its own answer.
 */
@Injectable()
export class ScanBatchPipe implements PipeTransform<unknown, unknown[]> {
  transform(body: unknown): unknown[] {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalid('body', 'the body must be a JSON object { "scans": [...] }');
    }
    const { scans, ...rest } = body as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) {
      throw new BadRequestException(
        validationFailed(extra.map((key) => ({ field: key, errors: [`property ${key} should not exist`] }))),
      );
    }
    if (!Array.isArray(scans)) throw invalid('scans', 'scans must be an array');
    if (scans.length < 1 || scans.length > MAX_BATCH_SCANS) {
      throw invalid('scans', `scans must contain 1 to ${MAX_BATCH_SCANS} elements`);
    }
    return scans;
  }
}

function invalid(field: string, error: string): BadRequestException {
  return new BadRequestException(validationFailed([{ field, errors: [error] }]));
}
