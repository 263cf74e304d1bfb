import type {
  DashboardMetrics,
  EventPayloads,
  EventType,
  MapSnapshot,
  PackageUpdate,
  ScheduleSnapshot,
  SystemHealth,
  VehiclePosition,
} from './events.js';
import type { SubscriptionFilter } from './frames.js';
import type { Role } from './roles.js';

/** Filter keys a family may declare; `types` applies to every topic and is not declared. */
export type FilterKey = Exclude<keyof SubscriptionFilter, 'types'>;

/**
 * A snapshot's data type travels with the declaration as a phantom, so the server's providers and
 * the client's `SnapshotDataOf` read it from here rather than from their own lists.
 */
export interface SnapshotDeclaration<D> {
  readonly description: string;
  readonly __data?: D;
}
export const snapshotOf = <D>(description: string): SnapshotDeclaration<D> => ({ description });

/** Declared payload fields (index signatures aside) every event type of E carries. */
type CommonFields<E extends EventType> = keyof {
  [K in keyof EventPayloads[E] as string extends K ? never : number extends K ? never : K]: true;
} &
  string;

export interface TopicDeclaration<E extends EventType = EventType> {
  readonly description: string;
  /** Event types this family carries; `publish` and `EventTypeOf` are typed from this list. */
  readonly events: readonly E[];
  /** Sent after `subscribed` (and on resume without history) when the resource exists. */
  readonly snapshot?: SnapshotDeclaration<unknown>;
  /** Subscription filter keys the family understands (besides `types`). */
  readonly filters?: readonly FilterKey[];
  /**
   * For a lagging client a newer event replaces the queued one with the same key: `topic` keeps
   * one value per topic, a field name one value per distinct value of that payload field (a
   * field every event type of the family declares: checked by CONFLATION_FIELDS_EXIST below).
   */
  readonly conflateBy?: string;
  /** Events are written to storage with the change, so a resume after a crash has no gap. */
  readonly stored?: boolean;
  /** Who may read: roles (any of), and/or the name of an ownership hook a module registers. */
  readonly read?: { readonly roles?: readonly Role[]; readonly owner?: string };
  /** For keyed families (`name:` + key): what the key is, for documents and errors. */
  readonly key?: string;
}

function declareTopics<const T extends Record<string, TopicDeclaration>>(topics: T): T {
  return topics;
}

/**
 * THE declaration of every topic family (docs/PROTOCOL.md section 4). A name ending in `:` is a
 * keyed family (`package:{trackingNumber}`); any other name is the topic itself. Everything else
 * (topic and event types, access, filters, conflation, storage, snapshots, the AsyncAPI document,
 * the contract tests) is derived from this object; docs/extending.md lists the steps.
 */
export const TOPICS = declareTopics({
  package_updates: {
    description: 'Every package change',
    events: ['package_update'],
    filters: ['carrier', 'status'],
    stored: true,
  },
  'package:': {
    description: 'One package',
    key: 'trackingNumber',
    events: ['package_update'],
    snapshot: snapshotOf<PackageUpdate>('The package as GET /packages/:trackingNumber returns it, without scans'),
    stored: true,
  },
  map_updates: {
    description: 'Package positions for live maps',
    events: ['map_update'],
    snapshot: snapshotOf<MapSnapshot>(
      'The latest position of every package not delivered or returned, inside the bbox, at most 5,000',
    ),
    filters: ['bbox'],
    conflateBy: 'packageId',
  },
  anomalies: {
    description: 'Anomalies opened, acknowledged and resolved',
    events: ['anomaly_detected', 'anomaly_acknowledged', 'anomaly_resolved'],
    filters: ['minSeverity'],
    stored: true,
  },
  dashboard_metrics: {
    description: 'The dashboard figures',
    events: ['dashboard_metrics'],
    snapshot: snapshotOf<DashboardMetrics>('The current figures, as GET /metrics/dashboard'),
    conflateBy: 'topic',
  },
  notifications: {
    description: 'Notifications for everyone or for one user (data.userId)',
    events: ['notification'],
    stored: true,
  },
  agent_activity: {
    description: 'Agent heartbeats and state changes',
    events: ['agent_activity'],
    read: { roles: ['ops', 'admin'] },
  },
  system_health: {
    description: 'Periodic health of the gateway instance',
    events: ['system_health'],
    snapshot: snapshotOf<SystemHealth>('The current health of this instance'),
    read: { roles: ['ops', 'admin'] },
  },
  'schedule:': {
    description: 'One route-planning schedule',
    key: 'scheduleId',
    events: ['schedule_progress', 'schedule_completed', 'schedule_failed'],
    snapshot: snapshotOf<ScheduleSnapshot>('The schedule as GET /schedules/:scheduleId returns it'),
    stored: true,
    read: { roles: ['admin'], owner: 'schedule owner' },
  },
  vehicle_positions: {
    description: 'Vehicle positions for live maps',
    events: ['vehicle_position'],
    filters: ['bbox'],
    conflateBy: 'vehicleId',
  },
  'vehicle:': {
    description: 'One vehicle',
    key: 'vehicleId',
    events: ['vehicle_position'],
    snapshot: snapshotOf<VehiclePosition>('The latest position, as GET /vehicles/:vehicleId returns it'),
  },
});

export type TopicFamily = keyof typeof TOPICS;
export type StaticTopic = Exclude<TopicFamily, `${string}:`>;
export type KeyedFamily = Extract<TopicFamily, `${string}:`>;
export type FamilyEvents<F extends TopicFamily> = (typeof TOPICS)[F]['events'][number];

/** Every event type must travel on some family: a type declared in EventPayloads only is an error here. */
type Uncarried = Exclude<EventType, FamilyEvents<TopicFamily>>;
export const EVERY_EVENT_TYPE_IS_CARRIED: [Uncarried] extends [never] ? true : { uncarried: Uncarried } = true;

/** Families whose `conflateBy` is neither `topic` nor a field all their event types declare. */
type BadConflation = {
  [F in TopicFamily]: (typeof TOPICS)[F] extends { conflateBy: infer C }
    ? C extends 'topic' | CommonFields<FamilyEvents<F>>
      ? never
      : F
    : never;
}[TopicFamily];
export const CONFLATION_FIELDS_EXIST: [BadConflation] extends [never] ? true : { badConflation: BadConflation } = true;

/** The data a family's snapshot carries (never for a family without snapshots). */
export type FamilySnapshot<F extends TopicFamily> = (typeof TOPICS)[F] extends {
  snapshot: SnapshotDeclaration<infer D>;
}
  ? D
  : never;
export type SnapshotFamily = {
  [F in TopicFamily]: [FamilySnapshot<F>] extends [never] ? never : F;
}[TopicFamily];
/** Families whose readers are decided by an ownership hook (`SnapshotRegistry.registerOwnership`). */
export type OwnedFamily = {
  [F in TopicFamily]: (typeof TOPICS)[F] extends { read: { owner: string } } ? F : never;
}[TopicFamily];
