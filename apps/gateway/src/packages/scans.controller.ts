import { Body, Controller, UseInterceptors, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators.js';
import { StoredWrite } from '../bus/outbox/stored-write.decorator.js';
import { IngestBacklogInterceptor } from './ingest-backlog.interceptor.js';
import { ScanBatchRequest, ScanBatchResponse } from './dto/scan-batch.dto.js';
import { ScanBatchPipe } from './scan-batch.pipe.js';
import { ScanBatchService, type ScanBatchResult } from './scan-batch.service.js';

@ApiTags('packages')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('scans')
export class ScansController {
  constructor(private readonly batches: ScanBatchService) {}

  @Post()
  @StoredWrite()
  @Auth('ops', 'admin')
  @UseInterceptors(IngestBacklogInterceptor)
  @ApiTooManyRequestsResponse({ description: 'Ingest backlog full; retry after Retry-After' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record 1 to 1,000 scans of any packages; each answered as POST /packages/:trackingNumber/scans would',
  })
  @ApiBody({ type: ScanBatchRequest })
  @ApiOkResponse({ type: ScanBatchResponse, description: 'One result per scan, in request order, after commit' })
  @ApiBadRequestResponse({ description: 'Not `{ scans: [...] }` with 1 to 1,000 items' })
  @ApiForbiddenResponse({ description: 'Requires ops or admin' })
  async record(@Body(ScanBatchPipe) scans: unknown[]): Promise<{ results: ScanBatchResult[] }> {
    return { results: await this.batches.apply(scans) };
  }
}
