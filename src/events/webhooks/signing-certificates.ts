import { verify, X509Certificate } from 'node:crypto';

/**
 * What the vendor signatures (Huawei SMN, Aliyun EventBridge) share: trusted
 * certificates configured as PEM, their validity, URLs checked before anything
 * is fetched from them, a time window, and the RSA-SHA256 check itself.
 */

/** Bundles parsed and kept (a secret's bundle is parsed once, not on every delivery). */
const MAX_PARSED_BUNDLES = 64;
const parsedBundles = new Map<string, X509Certificate[]>();

/** Every certificate of a PEM bundle; a secret's bundle was checked for PEM shape when stored. */
export function pemCertificates(bundle: string | null): X509Certificate[] {
  if (!bundle) return [];
  const parsed = parsedBundles.get(bundle);
  if (parsed) return parsed;
  const blocks = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const certificates = blocks.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  if (parsedBundles.size >= MAX_PARSED_BUNDLES) parsedBundles.delete(parsedBundles.keys().next().value!);
  parsedBundles.set(bundle, certificates);
  return certificates;
}

export function isValidNow(certificate: X509Certificate, now = new Date()): boolean {
  return now >= new Date(certificate.validFrom) && now <= new Date(certificate.validTo);
}

/** Whether `certificate` is one of the trusted ones, or signed by one of them, and valid now. */
export function isTrusted(certificate: X509Certificate, trusted: X509Certificate[], now = new Date()): boolean {
  if (!isValidNow(certificate, now)) return false;
  return trusted.some(
    (anchor) => anchor.fingerprint256 === certificate.fingerprint256 || (certificate.checkIssued(anchor) && certificate.verify(anchor.publicKey)),
  );
}

/** Whether `signature` (base64) is the certificate key's RSA-SHA256 (PKCS#1 v1.5) signature of `data`; false, not an error, for a malformed one. */
export function isSignedBy(certificate: X509Certificate, data: Buffer, signature: string): boolean {
  try {
    return verify('sha256', data, certificate.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Whether `url` parses, is at exactly `origin` (scheme, host and port) and carries no credentials: the only URLs a signature may name. */
export function isUrlAtOrigin(url: string, origin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.origin === origin && !parsed.username && !parsed.password;
}

/** Whether a signature's time is within `toleranceMs` of ours, either way: a captured delivery cannot be replayed later. */
export function isWithin(sentAtMs: number, toleranceMs: number, now = Date.now()): boolean {
  return Number.isFinite(sentAtMs) && Math.abs(now - sentAtMs) <= toleranceMs;
}
