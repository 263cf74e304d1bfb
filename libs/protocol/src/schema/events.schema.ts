import {
  AGENT_STATES,
  HEALTH_STATUSES,
  NOTIFICATION_LEVELS,
  PACKAGE_STATUSES,
  SEVERITIES,
  SCHEDULE_STRATEGIES,
  type AcknowledgedAnomaly,
  type Anomaly,
  type EventPayloads,
  type EventType,
  type PlannedRoute,
  type PlannedStop,
  type ScheduleFailed,
  type ScheduleKpis,
  type ScheduleResult,
} from '../events.js';
import {
  array,
  boolean,
  dateTime,
  integer,
  number,
  object,
  string,
  type Fields,
  type ObjectSchema,
} from './json-schema.js';

/** Event payloads may gain fields (docs/PROTOCOL.md section 4): additionalProperties stays open. */
const payload = <T>(fields: Fields<T>, description: string): ObjectSchema =>
  object<T>(fields, { additionalProperties: true, description });

const anomalyFields: Fields<Anomaly> = {
  anomalyId: string(),
  packageId: string(),
  trackingNumber: string(),
  anomalyType: string(),
  severity: string({ enum: SEVERITIES }),
  description: string(),
  recommendedAction: string(),
  confidenceScore: number({ minimum: 0, maximum: 1 }),
  detectedAt: dateTime(),
  acknowledgedBy: { ...string({ description: 'The user who acknowledged it' }), optional: true },
  acknowledgedAt: { ...dateTime(), optional: true },
  resolvedAt: { ...dateTime(), optional: true },
};
const anomaly = (description: string): ObjectSchema => payload<Anomaly>(anomalyFields, description);

const kpis = object<ScheduleKpis>({
  totalDistanceKm: number({ minimum: 0 }),
  makespanMinutes: number({ minimum: 0 }),
  onTimeRate: number({ minimum: 0, maximum: 1 }),
  lateStops: integer({ minimum: 0 }),
  vehiclesUsed: integer({ minimum: 0 }),
});
const strategy = string({ enum: SCHEDULE_STRATEGIES });
const plannedStop = object<PlannedStop>({
  stopId: string(),
  sequence: integer({ minimum: 0 }),
  arrivalMinutes: number(),
  serviceStartMinutes: number(),
  departureMinutes: number(),
  onTime: boolean(),
});
const plannedRoute = object<PlannedRoute>({
  vehicle: integer({ minimum: 0 }),
  stops: array(plannedStop),
  distanceKm: number({ minimum: 0 }),
  durationMinutes: number({ minimum: 0 }),
});
const scheduleResult = object<ScheduleResult>(
  {
    strategy,
    candidates: {
      ...array(object<NonNullable<ScheduleResult['candidates']>[number]>({ strategy, kpis })),
      optional: true,
    },
    routes: array(plannedRoute),
    kpis,
  },
  { description: 'The planned routes' },
);

const scheduleBase = {
  scheduleId: string(),
  step: string(),
  progress: number({ minimum: 0, maximum: 100, description: 'Never decreases for one schedule' }),
  message: string(),
};

/** One payload schema per event type; `satisfies` makes a missing or extra event type an error. */
export const EVENT_PAYLOAD_SCHEMAS = {
  package_update: payload<EventPayloads['package_update']>(
    {
      packageId: string(),
      trackingNumber: string(),
      status: string({ enum: PACKAGE_STATUSES }),
      location: string(),
      latitude: number({ minimum: -90, maximum: 90 }),
      longitude: number({ minimum: -180, maximum: 180 }),
      carrier: string(),
      estimatedDelivery: dateTime(),
      lastScanTime: dateTime(),
      version: integer({
        minimum: 1,
        description: '1 on creation, +1 per accepted change; a client merging REST and events keeps the higher',
      }),
    },
    'A package changed: created, or scanned',
  ),
  map_update: payload<EventPayloads['map_update']>(
    {
      packageId: string(),
      trackingNumber: string(),
      latitude: number({ minimum: -90, maximum: 90 }),
      longitude: number({ minimum: -180, maximum: 180 }),
      status: string({ enum: PACKAGE_STATUSES }),
    },
    'A package position for live maps (conflated per package for a lagging client)',
  ),
  anomaly_detected: anomaly('An anomaly was opened'),
  anomaly_acknowledged: payload<AcknowledgedAnomaly>(
    {
      ...anomalyFields,
      acknowledgedBy: string({ description: 'The user who acknowledged it' }),
      acknowledgedAt: dateTime(),
    },
    'An operator acknowledged an open anomaly',
  ),
  anomaly_resolved: anomaly('An anomaly was resolved (resolvedAt set)'),
  dashboard_metrics: payload<EventPayloads['dashboard_metrics']>(
    {
      totalPackages: number({ minimum: 0 }),
      inTransit: number({ minimum: 0 }),
      delivered: number({ minimum: 0 }),
      delayed: number({ minimum: 0 }),
      openAnomalies: number({ minimum: 0 }),
      recoveryRate: number({ minimum: 0, maximum: 1 }),
      avgDeliveryHours: number({ minimum: 0 }),
    },
    'The dashboard figures (conflated to the latest for a lagging client)',
  ),
  notification: payload<EventPayloads['notification']>(
    {
      notificationId: string(),
      level: string({ enum: NOTIFICATION_LEVELS }),
      title: string(),
      message: string(),
      userId: { ...string({ description: 'Set: only this user receives it' }), optional: true },
    },
    'A notification for everyone, or for one user',
  ),
  agent_activity: payload<EventPayloads['agent_activity']>(
    {
      agentId: string(),
      name: string(),
      state: string({ enum: AGENT_STATES }),
      action: string(),
      at: dateTime(),
    },
    'An agent heartbeat or state change',
  ),
  system_health: payload<EventPayloads['system_health']>(
    {
      status: string({ enum: HEALTH_STATUSES }),
      uptimeSeconds: number({ minimum: 0 }),
      connections: number({ minimum: 0 }),
      eventLoopLagMs: number({ minimum: 0 }),
      rssBytes: number({ minimum: 0 }),
      agentsOnline: number({ minimum: 0 }),
    },
    'Periodic health of the gateway instance',
  ),
  schedule_progress: payload<EventPayloads['schedule_progress']>(scheduleBase, 'Route planning progress'),
  schedule_completed: payload<EventPayloads['schedule_completed']>(
    { ...scheduleBase, result: scheduleResult },
    'Route planning finished',
  ),
  schedule_failed: payload<ScheduleFailed>(
    {
      ...scheduleBase,
      error: object<ScheduleFailed['error']>({ code: string(), details: { description: 'Anything' } }, {}),
    },
    'Route planning failed or was cancelled (error.code CANCELLED)',
  ),
  vehicle_position: payload<EventPayloads['vehicle_position']>(
    {
      vehicleId: string(),
      latitude: number({ minimum: -90, maximum: 90 }),
      longitude: number({ minimum: -180, maximum: 180 }),
      speedKmh: { ...number({ minimum: 0 }), optional: true },
      heading: { ...number({ minimum: 0, maximum: 360, description: 'Degrees clockwise from north' }), optional: true },
      reportedAt: dateTime(),
    },
    'A vehicle reported its position (conflated per vehicle for a lagging client)',
  ),
} satisfies { readonly [K in EventType]: ObjectSchema };
