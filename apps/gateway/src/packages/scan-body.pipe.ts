import { Injectable, type PipeTransform } from '@nestjs/common';
import { createValidationPipe } from '../validation/failing-fields.js';
import { CreateScanDto } from './dto/create-scan.dto.js';
import type { ScanRequest } from './packages.service.js';
import { passesScanRules } from './scan-item.js';

/**
 * The body of POST /packages/:trackingNumber/scans, the hottest write route. A valid scan passes
 * the quick check (class-validator's own functions, no DTO instance, no reflection over metadata);
 * anything else goes to the global ValidationPipe with CreateScanDto, which owns every 400.
 */
@Injectable()
export class ScanBodyPipe implements PipeTransform<unknown, Promise<ScanRequest>> {
  private readonly full = createValidationPipe();

  async transform(body: unknown): Promise<ScanRequest> {
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      if (passesScanRules(body as Record<string, unknown>)) return body as ScanRequest;
    }
    return (await this.full.transform(body, { type: 'body', metatype: CreateScanDto })) as ScanRequest;
  }
}
