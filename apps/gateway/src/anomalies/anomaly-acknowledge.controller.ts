import { BadRequestException, Controller, HttpCode, Param, Post, type PipeTransform } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Anomaly } from '@tracklight/protocol';
import { Auth, CurrentUser } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { StoredWrite } from '../bus/outbox/stored-write.decorator.js';
import { AnomalyAcknowledgeService } from './anomaly-acknowledge.service.js';
import { AnomalyResponse } from './anomaly-response.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Anomaly ids are UUIDs: anything else can never exist, so say why (400) rather than 404. */
class AnomalyIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        fields: [{ field: 'anomalyId', errors: ['anomalyId must be a UUID'] }],
      });
    }
    return value.toLowerCase();
  }
}

@ApiTags('anomalies')
@ApiBearerAuth()
@Controller('anomalies')
export class AnomalyAcknowledgeController {
  constructor(private readonly service: AnomalyAcknowledgeService) {}

  @Post(':anomalyId/acknowledge')
  @StoredWrite()
  @Auth('ops', 'admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take charge of an anomaly; publishes anomaly_acknowledged (again: no-op, 200, nothing published)',
  })
  @ApiOkResponse({ type: AnomalyResponse, description: 'The anomaly with acknowledgedBy and acknowledgedAt' })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token' })
  @ApiForbiddenResponse({ description: 'Requires ops or admin' })
  @ApiBadRequestResponse({ description: 'anomalyId is not a UUID' })
  @ApiNotFoundResponse({ description: 'Unknown anomaly' })
  acknowledge(@CurrentUser() user: Principal, @Param('anomalyId', new AnomalyIdPipe()) id: string): Promise<Anomaly> {
    return this.service.acknowledge(id, user.userId);
  }
}
