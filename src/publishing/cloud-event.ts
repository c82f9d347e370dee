import { CloudEvent } from 'cloudevents';
import type { PublishableChange } from './publishable-change';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * A change as a CloudEvents 1.0 event in structured mode: the whole event is
 * the JSON payload, so it reads the same on every broker and protocol version.
 * The `revision` extension is a decimal string, not a CloudEvents integer:
 * those stop at 2^31, revisions do not.
 */
export function toCloudEvent(change: PublishableChange, source: string): CloudEvent<ChangeEventData> {
  return new CloudEvent<ChangeEventData>({
    specversion: '1.0',
    id: change.revision,
    type: `cmdb.${change.kind}.${change.changeType}`,
    source,
    subject: `${change.vendor}/${change.instanceId}`,
    time: change.time.toISOString(),
    revision: change.revision,
    datacontenttype: 'application/json',
    data: {
      object: change.object,
      changed_fields: change.changedFields,
      origin: { trigger: change.origin.trigger, job_id: change.origin.jobId, event_id: change.origin.eventId },
    },
  });
}

/** The structured-mode payload (`application/cloudevents+json`). */
export function structuredPayload(change: PublishableChange, source: string): string {
  return toCloudEvent(change, source).toString();
}

/**
 * The structured-mode payload, or, when it is over `maxBytes` (the most the
 * broker takes), the same event without `data.object` and
 * `data.changed_fields`, marked `dataomitted: "too_large"`: the broker would
 * refuse the whole event at every attempt, so publishing would stop at it for
 * good (or, on JetStream, pass it silently). Its consumers still get the
 * change, in order, and read the resource from the API.
 */
export function payloadWithin(change: PublishableChange, source: string, maxBytes: number): string {
  const payload = structuredPayload(change, source);
  if (Buffer.byteLength(payload) <= maxBytes) return payload;
  return toCloudEvent({ ...change, object: null, changedFields: null }, source).cloneWith({ dataomitted: 'too_large' }).toString();
}

export interface ChangeEventData {
  /** The resource's API view after the change; for a delete, its last state. */
  object: Record<string, unknown> | null;
  /** For updates: each changed field with its old and new value. */
  changed_fields: Record<string, { old: unknown; new: unknown }> | null;
  origin: { trigger: string; job_id: string | null; event_id: string | null };
}
