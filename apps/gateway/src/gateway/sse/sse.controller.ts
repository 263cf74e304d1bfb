import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SseService } from './sse.service.js';

/** `GET /sse`: the event stream for clients and networks without WebSocket. */
@ApiTags('realtime')
@ApiBearerAuth()
@Controller()
export class SseController {
  constructor(private readonly sse: SseService) {}

  /** The query is read by SseService, with the subscribe validator, not by the global pipe. */
  @Get('sse')
  @ApiOperation({
    summary: 'Server-Sent Events: the events of topics, as a WebSocket subscribe would deliver them',
    description:
      'Each event is `id`, `event: <type>`, `data: <the WebSocket frame JSON>`; snapshots as `event: snapshot`; ' +
      'a resume (since or Last-Event-ID) that is not recovered sends `event: gap` then snapshots. A comment ' +
      'line at least every 15 s. The stream ends when the token expires (`event: error`, TOKEN_EXPIRED).',
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'topics', required: true, description: 'Comma-separated, 1 to 50, each readable by the user' })
  @ApiQuery({ name: 'since', required: false, description: 'Resume after this event id (Last-Event-ID wins)' })
  @ApiQuery({ name: 'filter', required: false, description: 'URL-encoded JSON, as subscribe.filter' })
  @ApiQuery({ name: 'token', required: false, description: 'JWT, when no Authorization: Bearer header is sent' })
  @ApiResponse({ status: 200, description: 'text/event-stream' })
  @ApiResponse({ status: 400, description: 'Malformed topics, since or filter' })
  @ApiResponse({ status: 401, description: 'Missing, invalid or expired token' })
  @ApiResponse({ status: 403, description: 'A topic the user may not read (`topics` lists them)' })
  @ApiResponse({ status: 404, description: 'A topic that does not exist (`topics` lists them)' })
  @ApiResponse({ status: 429, description: 'Connection cap of the user, or subscriber cap of a resource' })
  stream(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.sse.open(req, res);
  }
}
