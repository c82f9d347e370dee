import type { InboxEvent } from '../inbox/inbox-event';
import type { EventView } from './event.response';

/** An inbox event as GET /events shows it (the vendor's payload included: it holds no credential). */
export function eventView(event: InboxEvent): EventView {
  return {
    id: event.id,
    secret_id: event.secretId,
    vendor: event.vendor,
    channel: event.channel,
    message_id: event.messageKey,
    event_type: event.eventType,
    resource_type: event.resourceType,
    region: event.region,
    instance_id: event.instanceId,
    action: event.action,
    observed_at: event.observedAt?.toISOString() ?? null,
    received_at: event.receivedAt.toISOString(),
    status: event.status,
    attempts: event.attempts,
    reason: event.reason,
    applied_at: event.appliedAt?.toISOString() ?? null,
    payload: event.payload,
  };
}
