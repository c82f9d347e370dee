/** An SMN delivery, as its JSON body carries it (snake_case keys). */
export interface SmnEnvelope {
  type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  signature: string;
  signature_version: string;
  topic_urn: string;
  message_id: string;
  message: string;
  timestamp: string;
  signing_cert_url: string;
  subject?: string;
  subscribe_url?: string;
  unsubscribe_url?: string;
}

const TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'];
const TOPIC_URN = /^urn:smn:([a-z0-9-]+):([A-Za-z0-9]+):([A-Za-z0-9_-]{1,256})$/;

/** The envelope, or the reason it is not one (a 400). */
export function parseSmnEnvelope(body: Buffer): SmnEnvelope | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'the body is not JSON';
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'the body is not a JSON object';
  const envelope = parsed as Record<string, unknown>;
  if (!TYPES.includes(envelope.type as string)) return `type must be one of ${TYPES.join(', ')}`;
  const required = ['signature', 'topic_urn', 'message_id', 'message', 'timestamp', 'signing_cert_url'];
  if (envelope.type !== 'Notification') required.push('subscribe_url');
  for (const field of required) {
    if (typeof envelope[field] !== 'string' || envelope[field] === '') return `${field} is required (a string)`;
  }
  if (envelope.signature_version !== undefined && envelope.signature_version !== 'v1') return 'signature_version must be v1';
  if (!TOPIC_URN.test(envelope.topic_urn as string)) return 'topic_urn must look like urn:smn:<region>:<project_id>:<topic>';
  if (typeof envelope.message_id !== 'string' || envelope.message_id.length > 256) return 'message_id is too long';
  return envelope as unknown as SmnEnvelope;
}

/** The region a topic lives in: `urn:smn:<region>:...`. */
export function topicRegion(topicUrn: string): string {
  return TOPIC_URN.exec(topicUrn)![1];
}

/**
 * The string SMN signs: the keys in alphabetical order, each as `key\nvalue\n`.
 * Notifications sign message, message_id, subject (left out when empty),
 * timestamp, topic_urn, type; confirmations sign subscribe_url instead of subject.
 */
export function canonicalSmnString(envelope: SmnEnvelope): string {
  const keys =
    envelope.type === 'Notification'
      ? ['message', 'message_id', ...(envelope.subject ? ['subject'] : []), 'timestamp', 'topic_urn', 'type']
      : ['message', 'message_id', 'subscribe_url', 'timestamp', 'topic_urn', 'type'];
  return keys.map((key) => `${key}\n${String(envelope[key as keyof SmnEnvelope])}\n`).join('');
}
