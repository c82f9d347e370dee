import type { ResourceType, Vendor } from '../../providers/provider';

export const EVENT_STATUSES = ['pending', 'applied', 'stale', 'ignored', 'failed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const EVENT_CHANNELS = ['huawei-smn', 'cloudevents'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/**
 * What applying an event does: write the resource it carries (at its capture
 * time), delete it (at its capture time), or re-read it from the vendor by id
 * (the event is only a hint). null: a type we do not track (stored `ignored`).
 */
export type EventAction = 'upsert' | 'delete' | 'reread';

/** A verified notification, about to be stored. */
export interface NewInboxEvent {
  secretId: string;
  vendor: Vendor;
  channel: EventChannel;
  /** The vendor's message id (SMN message_id, CloudEvents source + id): a repeat is a duplicate. */
  messageKey: string;
  eventType: string;
  resourceType: ResourceType | null;
  region: string | null;
  instanceId: string | null;
  action: EventAction | null;
  /** When the vendor observed the change (capture time); null for a re-read, which takes its own time. */
  observedAt: Date | null;
  /** The vendor's notification as received (never a credential). */
  payload: Record<string, unknown>;
}

export interface InboxEvent extends NewInboxEvent {
  id: string;
  status: EventStatus;
  attempts: number;
  reason: string | null;
  receivedAt: Date;
  appliedAt: Date | null;
}

/** What one delivery stored: each event's id, and whether it was a repeat of one stored before. */
export interface StoredEvent {
  id: string;
  messageKey: string;
  duplicate: boolean;
}
