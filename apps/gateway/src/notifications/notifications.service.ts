import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { orderedUuid } from './ordered-uuid.js';
import { Brackets, type Repository } from 'typeorm';
import type { Notification, NotificationLevel } from '@tracklight/protocol';
import { EventBus } from '../bus/event-bus.js';
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
 * Raises notifications for other modules (anomalies, schedules). Stored first so GET
 * /notifications lists it, then published on `notifications`; the gateway delivers one with a
 * userId only to that user. A publish failure after the insert is logged, not thrown: the
 * notification exists and GET /notifications lists it, and the callers are background work (an
 * anomaly evaluation, a schedule's end) with no REST response that could be acknowledged
 * wrongly; failing them would only lose their own work too. No REST route raises a notification.
 */
@Injectable()
export class NotificationsService {
  private readonly log = new Logger(NotificationsService.name);

  constructor(
    @InjectRepository(NotificationEntity) private readonly repo: Repository<NotificationEntity>,
    private readonly bus: EventBus,
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
    await this.repo.insert(row);
    const view = toView(row);
    try {
      await this.bus.publish('notifications', 'notification', view);
    } catch (err) {
      this.log.error(`notification ${view.notificationId} stored but not published: ${String(err)}`);
    }
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
