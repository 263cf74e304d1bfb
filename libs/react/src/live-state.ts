/** What a view built from "REST read plus live events" can tell its user about its own truth. */
export interface LiveState<S> {
  state: S;
  /**
   * True while the view may be missing changes: disconnected, not (yet) subscribed, or rebuilding
   * after a subscription the server could not recover.
   */
  stale: boolean;
  /** A REST read (or the awaited snapshot) is in flight to rebuild the state. */
  resyncing: boolean;
  /** The last rebuild's failure, in words; cleared by the next successful one. */
  error: string | null;
  /** Rebuilds now, whatever the subscription said. */
  reload: () => void;
}
