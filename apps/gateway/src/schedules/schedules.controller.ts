import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth, CurrentUser } from '../auth/auth.decorators.js';
import { StoredWrite } from '../bus/outbox/stored-write.decorator.js';
import type { Principal } from '../auth/principal.js';
import { CreateSchedulePipe } from './create-schedule.pipe.js';
import { ScheduleIdPipe } from './schedule-id.pipe.js';
import type { CreateScheduleInput } from './dto/create-schedule.dto.js';
import { CREATE_SCHEDULE_SCHEMA } from './dto/create-schedule.schema.js';
import type { ScheduleView } from './schedule-view.js';
import { SchedulesService, type ScheduleAccepted } from './schedules.service.js';

@ApiTags('schedules')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  @Auth()
  @HttpCode(202)
  @ApiBody({ schema: CREATE_SCHEDULE_SCHEMA })
  @ApiAcceptedResponse({ description: '`{ scheduleId, topic, status: "queued" }`' })
  @ApiBadRequestResponse({ description: 'Invalid input; `fields` lists the failing fields' })
  @ApiTooManyRequestsResponse({ description: 'The caller already has 20 schedules queued or running' })
  @ApiOperation({ summary: 'Queue a route planning job owned by the caller; progress on schedule:{scheduleId}' })
  create(
    @CurrentUser() user: Principal,
    @Body(CreateSchedulePipe) body: CreateScheduleInput,
  ): Promise<ScheduleAccepted> {
    return this.schedules.create(user, body);
  }

  @Get(':scheduleId')
  @Auth()
  @ApiOperation({ summary: 'Status, progress and result (owner or admin; 403 for anyone else)' })
  @ApiOkResponse({ description: 'The schedule (also the schedule:{scheduleId} snapshot)' })
  @ApiForbiddenResponse({ description: 'Not yours (owner or admin only)' })
  @ApiNotFoundResponse({ description: 'No such schedule' })
  get(@CurrentUser() user: Principal, @Param('scheduleId', ScheduleIdPipe) id: string): Promise<ScheduleView> {
    return this.schedules.get(user, id);
  }

  @Post(':scheduleId/cancel')
  @StoredWrite()
  @Auth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a queued or running schedule; it ends with schedule_failed CANCELLED' })
  @ApiOkResponse({ description: 'The schedule, now cancelled' })
  @ApiForbiddenResponse({ description: 'Not yours (owner or admin only)' })
  @ApiNotFoundResponse({ description: 'No such schedule' })
  @ApiConflictResponse({ description: 'It already finished; `status` says how' })
  cancel(@CurrentUser() user: Principal, @Param('scheduleId', ScheduleIdPipe) id: string): Promise<ScheduleView> {
    return this.schedules.cancel(user, id);
  }
}
