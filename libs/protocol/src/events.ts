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

/** The `map_updates` snapshot: the latest position of every package in flight (at most 5,000). */
export interface MapSnapshot {
  positions: MapUpdate[];
  /** More packages matched than the snapshot carries. */
  truncated: boolean;
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
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  [extra: string]: unknown;
}

/** `anomaly_acknowledged`: the anomaly once an operator took it on. */
export interface AcknowledgedAnomaly extends Anomaly {
  acknowledgedBy: string;
  acknowledgedAt: string;
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

export interface PlannedStop {
  stopId: string;
  sequence: number;
  arrivalMinutes: number;
  serviceStartMinutes: number;
  departureMinutes: number;
  onTime: boolean;
}

export interface PlannedRoute {
  vehicle: number;
  stops: PlannedStop[];
  distanceKm: number;
  durationMinutes: number;
}

export interface ScheduleKpis {
  totalDistanceKm: number;
  makespanMinutes: number;
  /** Share (0..1) of stops served within their window. */
  onTimeRate: number;
  lateStops: number;
  vehiclesUsed: number;
}

export const SCHEDULE_STRATEGIES = ['savings', 'sweep'] as const;
export type ScheduleStrategy = (typeof SCHEDULE_STRATEGIES)[number];

/** The plan of a completed schedule: the solver's result as the wire carries it. */
export interface ScheduleResult {
  strategy: ScheduleStrategy;
  /** Every strategy tried with its KPIs, when the request asked to compare. */
  candidates?: { strategy: ScheduleStrategy; kpis: ScheduleKpis }[];
  routes: PlannedRoute[];
  kpis: ScheduleKpis;
}

export interface ScheduleCompleted extends ScheduleProgress {
  result: ScheduleResult;
}

export interface ScheduleFailed extends ScheduleProgress {
  error: { code: string; details: unknown };
}

/** The state `GET /schedules/:scheduleId` returns and a `schedule:` snapshot carries. */
export interface ScheduleSnapshot {
  scheduleId: string;
  status: ScheduleStatus;
  progress?: number;
  step?: string;
  message?: string;
  result?: ScheduleResult;
  error?: { code: string; details: unknown };
  [extra: string]: unknown;
}

/** A vehicle's latest reported position: the `vehicle_position` event and `GET /vehicles/:vehicleId`. */
export interface VehiclePosition {
  vehicleId: string;
  latitude: number;
  longitude: number;
  speedKmh?: number;
  /** Degrees clockwise from north, 0..360. */
  heading?: number;
  reportedAt: string;
  [extra: string]: unknown;
}

/** Event type name to payload type: the single source for the bus and the wire. */
export interface EventPayloads {
  package_update: PackageUpdate;
  map_update: MapUpdate;
  anomaly_detected: Anomaly;
  anomaly_acknowledged: AcknowledgedAnomaly;
  anomaly_resolved: Anomaly;
  dashboard_metrics: DashboardMetrics;
  notification: Notification;
  agent_activity: AgentActivity;
  system_health: SystemHealth;
  schedule_progress: ScheduleProgress;
  schedule_completed: ScheduleCompleted;
  schedule_failed: ScheduleFailed;
  vehicle_position: VehiclePosition;
}

export type EventType = keyof EventPayloads;
