import type { ResourceType } from '../../../providers/provider';
import type { NewInboxEvent } from '../../inbox/inbox-event';
import type { SmnEnvelope } from './smn-envelope';

/** Config (RMS) resource types delta sync applies: `<provider>.<type>`. */
const TRACKED: Record<string, ResourceType> = { 'ecs.cloudservers': 'host', 'rds.instances': 'rds' };
const ACTIONS = { CREATE: 'upsert', UPDATE: 'upsert', DELETE: 'delete' } as const;

type Json = Record<string, unknown>;

/**
 * A verified SMN notification as the inbox stores it. A Config
 * `ResourceChanged` of a tracked type carries the resource and its capture
 * time: applied at that time (a DELETE leaves a tombstone when we hold
 * nothing). Anything else is stored `ignored`: acknowledged and counted.
 * Answers a reason string when a tracked change is malformed (a 400).
 */
export function inboxEventOfSmn(secretId: string, region: string, envelope: SmnEnvelope): NewInboxEvent | string {
  const base: NewInboxEvent = {
    secretId,
    vendor: 'huawei',
    channel: 'huawei-smn',
    messageKey: envelope.message_id,
    eventType: envelope.type,
    resourceType: null,
    region: null,
    instanceId: null,
    action: null,
    observedAt: null,
    payload: { topic_urn: envelope.topic_urn, subject: envelope.subject ?? null, message: envelope.message },
  };
  let message: Json;
  try {
    const parsed: unknown = JSON.parse(envelope.message);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return base;
    message = parsed as Json;
  } catch {
    return base; // a plain-text message on the topic: not Config's
  }
  const notificationType = typeof message.notification_type === 'string' ? message.notification_type : 'unknown';
  const withType = { ...base, eventType: notificationType, payload: { topic_urn: envelope.topic_urn, message } };
  const detail = (message.detail ?? {}) as Json;
  const resourceType = TRACKED[String(detail.resource_type)];
  if (notificationType !== 'ResourceChanged' || !resourceType) return { ...withType, eventType: `${notificationType}:${String(detail.resource_type ?? '')}` };

  const eventType = String(detail.event_type);
  if (!(eventType in ACTIONS)) return `detail.event_type must be CREATE, UPDATE or DELETE, not ${eventType}`;
  const instanceId = detail.resource_id;
  if (typeof instanceId !== 'string' || !instanceId) return 'detail.resource_id is required';
  // RFC 3339, fractional seconds accepted (the sample rejected them).
  const captured = typeof detail.capture_time === 'string' ? new Date(detail.capture_time) : null;
  if (!captured || Number.isNaN(captured.getTime())) return 'detail.capture_time must be an RFC 3339 time';
  const resource = (detail.resource ?? {}) as Json;
  const resourceRegion = typeof resource.region_id === 'string' && resource.region_id ? resource.region_id : region;
  return {
    ...withType,
    eventType: `ResourceChanged:${String(detail.resource_type)}:${eventType}`,
    resourceType,
    region: resourceRegion,
    instanceId,
    action: ACTIONS[eventType as keyof typeof ACTIONS],
    observedAt: captured,
    payload: { topic_urn: envelope.topic_urn, message, resource_properties: resource.properties ?? null },
  };
}
