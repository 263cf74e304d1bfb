import type { NotificationLevel } from '@tracklight/protocol';

export interface NotifyInput {
  level: NotificationLevel;
  title: string;
  message: string;
  userId?: string;
}

/** The part of the notifications module anomalies use; bound to NotificationsService in the module. */
export abstract class AnomalyNotifier {
  abstract notify(input: NotifyInput): Promise<unknown>;
}
