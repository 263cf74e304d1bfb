import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Anomaly } from '@tracklight/protocol';
import { Auth } from '../auth/auth.decorators.js';
import { AnomalyPageResponse } from './anomaly-response.dto.js';
import { ListAnomaliesQuery } from './list-anomalies.query.js';
import { toAnomaly } from './storage/anomaly-mapper.js';
import { AnomalyStore } from './storage/anomaly-store.js';

export interface AnomalyPage {
  items: Anomaly[];
  total: number;
  limit: number;
  offset: number;
}

@ApiTags('anomalies')
@ApiBearerAuth()
@Controller('anomalies')
export class AnomaliesController {
  constructor(private readonly store: AnomalyStore) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'Anomalies, newest first; filters open, type, severity, trackingNumber; paged' })
  @ApiOkResponse({ type: AnomalyPageResponse })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token' })
  @ApiBadRequestResponse({ description: 'A filter or paging value is invalid; `fields` lists them' })
  async list(@Query() query: ListAnomaliesQuery): Promise<AnomalyPage> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const open = query.open === undefined ? undefined : query.open === 'true';
    const { items, total } = await this.store.list(
      { open, type: query.type, severity: query.severity, trackingNumber: query.trackingNumber },
      limit,
      offset,
    );
    return { items: items.map(toAnomaly), total, limit, offset };
  }
}
