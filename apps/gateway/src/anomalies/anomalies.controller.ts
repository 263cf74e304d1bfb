import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Anomaly } from '@tracklight/protocol';
import { Auth } from '../auth/auth.decorators.js';
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

  /** Newest first. */
  @Get()
  @Auth()
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
