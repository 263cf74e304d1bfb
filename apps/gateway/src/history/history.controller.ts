import { Controller, Get, Query } from '@nestjs/common';
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
import { Auth, CurrentUser } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { HistoryQuery } from './history.query.js';
import { HistoryService, type HistoryPage } from './history.service.js';

@ApiTags('events')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('events')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: "The stored topics' durable history, in publish order (the event log)" })
  @ApiOkResponse({
    description: '`{ items: [event frames as sent on WebSocket], next: id or null }`; pass `next` as `since`',
  })
  @ApiBadRequestResponse({ description: 'Bad input, or a topic that is not stored; `fields` lists the failing fields' })
  @ApiNotFoundResponse({ description: 'A schedule topic of no schedule' })
  @ApiForbiddenResponse({ description: 'A topic the caller may not read (another user’s schedule)' })
  list(@CurrentUser() user: Principal, @Query() query: HistoryQuery): Promise<HistoryPage> {
    return this.history.page(user, query);
  }
}
