import type { PublishableChange } from './publishable-change';

/** What the publishers need of the change log (see change-log-feed.ts for the adapter over the Changes module). */
export interface ChangeFeed {
  /** Committed changes with revision > after, in revision order, at most `limit`. */
  readAfter(after: string, limit: number): Promise<PublishableChange[]>;
  latestRevision(): Promise<string>;
  /** Calls the listener when any process committed changes; answers the unsubscribe. */
  onCommitted(listener: () => void): () => void;
}

export const CHANGE_FEED = Symbol('CHANGE_FEED');
