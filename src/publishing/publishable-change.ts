import type { ChangeType } from '../changes/change-log';

/**
 * One committed change as the publishers need it: self-contained, so an event
 * is built from it alone. `revision` is a decimal string (a bigint column).
 */
export interface PublishableChange {
  revision: string;
  time: Date;
  kind: string;
  vendor: string;
  instanceId: string;
  region: string | null;
  changeType: ChangeType;
  /** The resource's API view right after the change (its last state for a delete). */
  object: Record<string, unknown> | null;
  changedFields: Record<string, { old: unknown; new: unknown }> | null;
  origin: { trigger: string; jobId: string | null; eventId: string | null };
}
