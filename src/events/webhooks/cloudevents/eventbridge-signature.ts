import type { X509Certificate } from 'node:crypto';
import { isAllowedRegion } from '../../../secrets/allow-region';
import { isSignedBy, isUrlAtOrigin, isValidNow, isWithin } from '../signing-certificates';
import { headerValue } from '../webhook-body';

/**
 * Aliyun EventBridge's own signature of an HTTP(S) target delivery (v2, RSA).
 *
 * Where it comes from: Aliyun's "Signature algorithm" page of the EventBridge
 * user guide (https://help.aliyun.com/en/eventbridge/user-guide/signature-algorithm,
 * also alibabacloud.com/help/en/eventbridge/user-guide/signature-algorithm):
 * EventBridge builds the string-to-sign, hashes it with SHA-256 (named in
 * `x-eventbridge-hash-method`), signs it with its RSA private key and sends
 * the Base64 signature in `x-eventbridge-signature-v2`, its time in
 * `x-eventbridge-signature-timestamp` (a request more than 60 s away is
 * refused: no replay) and its certificate's URL in
 * `x-eventbridge-signature-url`, which must be on
 * `https://[RegionId]-eventbridge.oss-accelerate.aliyuncs.com`.
 * The string-to-sign, as the page's "String-to-sign format" section gives it
 * (read from the Chinese edition, doc-detail/207037):
 *
 *   StringToSign = schema + "://" + target address + path + "?" + queryParam + "\n"
 *                + fixed headers + "\n" + body
 *
 * the fixed headers being `name: value` lines joined with "\n", in this order:
 * timestamp, the hash (v1: signature) method, signature version, certificate
 * URL, then the user's optional signature token.
 *
 * Assumed where that text is not explicit (the v2 page's own format section
 * could not be read in full): the v2 header list is the one above with
 * `x-eventbridge-hash-method` (the header v2 sends), each header present in the
 * request is signed and an absent optional one (version, token) is left out;
 * the URL is the one the request was sent to, with no "?" when it has no
 * query; independent implementations differ on a "\n" after the body, so both
 * forms are accepted; the timestamp is in milliseconds (10 digits are read as
 * seconds).
 *
 * Trust: only the certificates configured on the secret
 * (`eventbridge_signing_certs`) verify a signature; the URL a request names is
 * checked (https, the EventBridge host of a region the secret allows, no port
 * or credentials) and never fetched.
 */
export const EVENTBRIDGE_SIGNATURE_HEADER = 'x-eventbridge-signature-v2';
const TIMESTAMP = 'x-eventbridge-signature-timestamp';
const HASH_METHOD = 'x-eventbridge-hash-method';
const CERTIFICATE_URL = 'x-eventbridge-signature-url';
const SIGNED_HEADERS = [TIMESTAMP, HASH_METHOD, 'x-eventbridge-signature-version', CERTIFICATE_URL, 'x-eventbridge-signature-token'];
export const EVENTBRIDGE_TOLERANCE_MS = 60_000;
const CERTIFICATE_HOST = /^([a-z0-9]+(?:-[a-z0-9]+)*)-eventbridge\.oss-accelerate\.aliyuncs\.com$/;

type Headers = Record<string, string | string[] | undefined>;

export type EventBridgeVerdict = 'ok' | 'missing' | 'unsupported_hash' | 'stale_timestamp' | 'untrusted_certificate' | 'bad_signature';

/** The bytes EventBridge signs for a delivery to `targetUrl` (see above). */
export function eventBridgeStringToSign(targetUrl: string, headers: Headers, body: Buffer, newlineAfterBody = false): Buffer {
  const lines = SIGNED_HEADERS.flatMap((name) => {
    const value = headerValue(headers, name);
    return value === undefined ? [] : [`${name}: ${value}`];
  });
  return Buffer.concat([Buffer.from(`${targetUrl}\n${lines.join('\n')}\n`, 'utf8'), body, Buffer.from(newlineAfterBody ? '\n' : '')]);
}

/** The region whose EventBridge certificate origin `url` is on, or null: https, the documented host, no port, no credentials. */
export function eventBridgeCertificateRegion(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  const region = CERTIFICATE_HOST.exec(host)?.[1];
  return region && isUrlAtOrigin(url, `https://${host}`) ? region : null;
}

/** Checks a delivery's EventBridge signature against the trusted certificates; the first failing check names the verdict. */
export function checkEventBridgeSignature(input: {
  trusted: X509Certificate[];
  allowRegions: readonly string[];
  targetUrl: string;
  headers: Headers;
  body: Buffer;
  now?: number;
}): EventBridgeVerdict {
  const now = input.now ?? Date.now();
  const signature = headerValue(input.headers, EVENTBRIDGE_SIGNATURE_HEADER);
  const timestamp = headerValue(input.headers, TIMESTAMP);
  const hashMethod = headerValue(input.headers, HASH_METHOD);
  const certificateUrl = headerValue(input.headers, CERTIFICATE_URL);
  if (!signature || !timestamp || !hashMethod || !certificateUrl) return 'missing';
  if (hashMethod.toUpperCase() !== 'SHA256') return 'unsupported_hash';
  if (!/^\d{10,13}$/.test(timestamp) || !isWithin(timestampMs(timestamp), EVENTBRIDGE_TOLERANCE_MS, now)) return 'stale_timestamp';
  const region = eventBridgeCertificateRegion(certificateUrl);
  if (!region || !isAllowedRegion(input.allowRegions, region)) return 'untrusted_certificate';
  const current = input.trusted.filter((certificate) => isValidNow(certificate, new Date(now)));
  if (current.length === 0) return 'untrusted_certificate';
  const signed = [false, true].some((newline) => {
    const data = eventBridgeStringToSign(input.targetUrl, input.headers, input.body, newline);
    return current.some((certificate) => isSignedBy(certificate, data, signature));
  });
  return signed ? 'ok' : 'bad_signature';
}

function timestampMs(timestamp: string): number {
  return timestamp.length <= 10 ? Number(timestamp) * 1000 : Number(timestamp);
}
