import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { orderedUuid } from './ordered-uuid.js';
import { Brackets, type Repository } from 'typeorm';
import type { Notification, NotificationLevel } from '@tracklight/protocol';
import { EventLog } from '../bus/outbox/event-log.js';
import { NotificationEntity } from './notification.entity.js';

export interface NotifyInput {
  level: NotificationLevel;
  title: string;
  message: string;
  /** Only this user receives it; a broadcast when absent. */
  userId?: string;
}

/** The wire `notification` plus when it was raised. */
export type NotificationView = Notification & { createdAt: string };

const TITLE_MAX = 200;
const MESSAGE_MAX = 2000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Raises notifications for other modules (anomalies, schedules). The row and its `notification`
 * event on `notifications` commit in one event-log transaction, so GET /notifications and the
 * live stream always agree, even when the bus is down for a while (the relay delivers it then);
 * the gateway delivers one with a userId only to that user. No REST route raises a notification.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(NotificationEntity) private readonly repo: Repository<NotificationEntity>,
    private readonly log: EventLog,
  ) {}

  async notify(input: NotifyInput): Promise<NotificationView> {
    const row = this.repo.create({
      id: orderedUuid(),
      level: input.level,
      title: clip(input.title, TITLE_MAX),
      message: clip(input.message, MESSAGE_MAX),
      userId: input.userId ?? null,
      createdAtMs: Date.now(),
    });
    const view = toView(row);
    await this.log.transaction(async (m, append) => {
      await m.insert(NotificationEntity, row);
      await append('notifications', 'notification', view);
    });
    return view;
  }

  /** Broadcasts and the user's own, newest first. */
  async recentFor(
    userId: string,
    limit: number,
    before?: { createdAtMs: number; id: string },
  ): Promise<NotificationView[]> {
    const qb = this.repo
      .createQueryBuilder('n')
      .where(new Brackets((w) => w.where('n.userId IS NULL').orWhere('n.userId = :userId', { userId })));
    if (before) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('n.createdAtMs < :c', { c: before.createdAtMs })
            .orWhere(new Brackets((e) => e.where('n.createdAtMs = :c').andWhere('n.id < :i', { i: before.id }))),
        ),
      );
    }
    const rows = await qb.orderBy('n.createdAtMs', 'DESC').addOrderBy('n.id', 'DESC').take(limit).getMany();
    return rows.map(toView);
  }
}

function toView(row: NotificationEntity): NotificationView {
  const view: NotificationView = {
    notificationId: row.id,
    level: row.level,
    title: row.title,
    message: row.message,
    createdAt: new Date(row.createdAtMs).toISOString(),
  };
  if (row.userId !== null) view.userId = row.userId;
  return view;
}
