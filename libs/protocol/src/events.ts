/** Event payloads of docs/PROTOCOL.md section 4. Field names are camelCase; more fields may be added. */

export const PACKAGE_STATUSES = [
  'created',
  'picked_up',
  'in_transit',
  'at_facility',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const NOTIFICATION_LEVELS = ['info', 'warning', 'critical'] as const;
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];

export const AGENT_STATES = ['online', 'busy', 'idle', 'offline'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const HEALTH_STATUSES = ['ok', 'degraded', 'down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const SCHEDULE_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

export interface PackageUpdate {
  packageId: string;
  trackingNumber: string;
  status: PackageStatus;
  location: string;
  latitude: number;
  longitude: number;
  carrier: string;
  estimatedDelivery: string;
  lastScanTime: string;
  /** 1 on creation, +1 per accepted change: merge a REST read with events by keeping the higher. */
  version: number;
  [extra: string]: unknown;
}

export interface MapUpdate {
  packageId: string;
  trackingNumber: string;
  latitude: number;
  longitude: number;
  status: PackageStatus;
  [extra: string]: unknown;
}

export interface Anomaly {
  anomalyId: string;
  packageId: string;
  trackingNumber: string;
  anomalyType: string;
  severity: Severity;
  description: string;
  recommendedAction: string;
  confidenceScore: number;
  detectedAt: string;
  /** The `sub` of whoever acknowledged it (`POST /anomalies/:anomalyId/acknowledge`). */
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  [extra: string]: unknown;
}

export interface DashboardMetrics {
  totalPackages: number;
  inTransit: number;
  delivered: number;
  delayed: number;
  openAnomalies: number;
  recoveryRate: number;
  avgDeliveryHours: number;
  [extra: string]: unknown;
}

export interface Notification {
  notificationId: string;
  level: NotificationLevel;
  title: string;
  message: string;
  userId?: string;
  [extra: string]: unknown;
}

export interface AgentActivity {
  agentId: string;
  name: string;
  state: AgentState;
  action: string;
  at: string;
  [extra: string]: unknown;
}

export interface SystemHealth {
  status: HealthStatus;
  uptimeSeconds: number;
  connections: number;
  eventLoopLagMs: number;
  rssBytes: number;
  agentsOnline: number;
  [extra: string]: unknown;
}

export interface ScheduleProgress {
  scheduleId: string;
  step: string;
  /** 0..100, never decreasing for one schedule. */
  progress: number;
  message: string;
  [extra: string]: unknown;
}

export interface ScheduleCompleted extends ScheduleProgress {
  result: unknown;
}

export interface ScheduleFailed extends ScheduleProgress {
  error: { code: string; details: unknown };
}

/** Event type name to payload type: the single source for the bus and the wire. */
export interface EventPayloads {
  package_update: PackageUpdate;
  map_update: MapUpdate;
  anomaly_detected: Anomaly;
  anomaly_acknowledged: Anomaly;
  anomaly_resolved: Anomaly;
  dashboard_metrics: DashboardMetrics;
  notification: Notification;
  agent_activity: AgentActivity;
  system_health: SystemHealth;
  schedule_progress: ScheduleProgress;
  schedule_completed: ScheduleCompleted;
  schedule_failed: ScheduleFailed;
}

export type EventType = keyof EventPayloads;

export const EVENT_TYPES = [
  'package_update',
  'map_update',
  'anomaly_detected',
  'anomaly_acknowledged',
  'anomaly_resolved',
  'dashboard_metrics',
  'notification',
  'agent_activity',
  'system_health',
  'schedule_progress',
  'schedule_completed',
  'schedule_failed',
] as const satisfies readonly EventType[];
