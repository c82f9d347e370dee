import { createHmac, timingSafeEqual } from 'node:crypto';
import { isWithin } from '../signing-certificates';
import { headerValue } from '../webhook-body';

/** The header holding `v1=<hex HMAC-SHA256>`, and the one holding its Unix time in seconds. */
export const SIGNATURE_HEADER = 'x-cmdb-signature';
export const TIMESTAMP_HEADER = 'x-cmdb-timestamp';
/** How far a signature's time may be from ours: a captured delivery cannot be replayed later. */
export const SIGNATURE_TOLERANCE_S = 300;

/** `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>` under the webhook secret (what a relay sends). */
export function webhookSignature(webhookSecret: string, timestamp: string, body: Buffer): string {
  const hmac = createHmac('sha256', webhookSecret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `v1=${hmac.digest('hex')}`;
}

export type HmacVerdict = 'ok' | 'missing' | 'stale_timestamp' | 'bad_signature';

/** Checks a delivery's signature and time; the comparison takes the same time whatever the mismatch. */
export function checkWebhookSignature(
  webhookSecret: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  now = Date.now(),
): HmacVerdict {
  const signature = headerValue(headers, SIGNATURE_HEADER);
  const timestamp = headerValue(headers, TIMESTAMP_HEADER);
  if (!signature || !timestamp) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp) || !isWithin(Number(timestamp) * 1000, SIGNATURE_TOLERANCE_S * 1000, now)) return 'stale_timestamp';
  const expected = Buffer.from(webhookSignature(webhookSecret, timestamp, body));
  // Several signatures may be sent (a relay mid-rotation): any one valid is enough.
  const offered = signature.split(',').map((part) => Buffer.from(part.trim()));
  return offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected)) ? 'ok' : 'bad_signature';
}
