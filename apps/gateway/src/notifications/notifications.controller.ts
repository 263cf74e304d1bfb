import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { badField } from '../packages/package-errors.js';
import { decodeCursor, encodeCursor } from '../packages/page-cursor.js';
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
  async list(
    @CurrentUser() user: Principal,
    @Query() query: ListNotificationsQuery,
  ): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !before) throw badField('cursor', 'cursor is not one this server issued');
    const rows = await this.notifications.recentFor(user.userId, limit + 1, before);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor({ createdAtMs: Date.parse(last.createdAt), id: last.notificationId })
        : null;
    return { items, nextCursor };
  }
}
