import type { ClusterInstance, ConnectionStatsSource } from './cluster-instance.js';

/**
 * The deployment as a whole: which gateway instances are alive with how many connections, and
 * the per-user connection cap across all of them. Without Redis the deployment is this process.
 *
 * The gateway wires it: setStatsSource() once at startup; acquireUserSlot() when admitting a
 * connection (refuse with 4429 on false) and releaseUserSlot() when it closes, whatever the
 * reason; instances() for the `cluster` section of GET /ws/status.
 */
export abstract class ClusterService {
  abstract readonly instanceId: string;

  abstract setStatsSource(source: ConnectionStatsSource): void;

  /** Every live instance, this one included (first), sorted by instanceId after it. */
  abstract instances(): Promise<ClusterInstance[]>;

  /**
   * Takes one of the user's `max` connection slots for `connectionId`; false when the user
   * already holds `max` across the cluster. Idempotent for the same connectionId.
   */
  abstract acquireUserSlot(userId: string, connectionId: string, max: number): Promise<boolean>;

  /** Gives the slot back; unknown ids are ignored. */
  abstract releaseUserSlot(userId: string, connectionId: string): Promise<void>;
}
