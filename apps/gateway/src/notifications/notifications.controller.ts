import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageOf, readCursor, type Page } from '../paging/cursor.js';
import { ListNotificationsQuery } from './dto/list-notifications.query.js';
import { NotificationPageResponse } from './dto/notification-response.dto.js';
import { NotificationsService, type NotificationView } from './notifications.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: "Recent notifications: broadcasts and the caller's own, newest first" })
  @ApiOkResponse({ type: NotificationPageResponse })
  async list(@CurrentUser() user: Principal, @Query() query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    const limit = query.limit ?? 50;
    const before = readCursor(query.cursor);
    const rows = await this.notifications.recentFor(user.userId, limit + 1, before);
    return pageOf(
      rows,
      limit,
      (n) => ({ createdAtMs: Date.parse(n.createdAt), id: n.notificationId }),
      (n) => n,
    );
  }
}
