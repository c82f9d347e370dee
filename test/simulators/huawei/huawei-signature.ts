import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Server-side check of Huawei's SDK-HMAC-SHA256 signature, computed from the
 * request as received (never from what the client claims), the way API Gateway does.
 */

const ALGORITHM = 'SDK-HMAC-SHA256';
/** API Gateway accepts an X-Sdk-Date at most 15 minutes away from its own clock. */
const DATE_WINDOW_MS = 15 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received (`req.url`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type SignatureCheck =
  | { ok: true; accessKey: string }
  | { ok: false; reason: 'missing' | 'unknown-key' | 'expired' | 'mismatch' };

interface ParsedAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

export function verifySignature(request: SignedRequest, secretOf: (accessKey: string) => string | undefined, now = Date.now()): SignatureCheck {
  const authorization = parseAuthorization(headerValue(request.headers, 'authorization'));
  const date = headerValue(request.headers, 'x-sdk-date');
  if (!authorization || !date) return { ok: false, reason: 'missing' };
  const secret = secretOf(authorization.accessKey);
  if (secret === undefined) return { ok: false, reason: 'unknown-key' };
  const signedAt = parseSdkDate(date);
  if (signedAt === null || Math.abs(now - signedAt) > DATE_WINDOW_MS) return { ok: false, reason: 'expired' };

  const expected = createHmac('sha256', secret).update(stringToSign(request, authorization.signedHeaders, date)).digest('hex');
  const given = Buffer.from(authorization.signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'mismatch' };
  return { ok: true, accessKey: authorization.accessKey };
}

function stringToSign(request: SignedRequest, signedHeaders: string[], date: string): string {
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : request.url.slice(queryAt + 1);
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(request.headers, name) ?? ''}\n`).join('');
  const payloadHash =
    headerValue(request.headers, 'x-sdk-content-sha256') ?? createHash('sha256').update(request.body).digest('hex');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  return [ALGORITHM, date, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
}

/** Each segment decoded then re-encoded, with a trailing slash (the SDK signs `/v1/x/` for `/v1/x`). */
function canonicalUri(path: string): string {
  const encoded = path
    .split('/')
    .map((segment) => encode(decode(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : encoded + '/';
}

/** Decoded and re-encoded, never the raw text: keys sorted, repeated keys' values sorted. */
function canonicalQuery(query: string): string {
  if (query === '') return '';
  const values = new Map<string, string[]>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const key = decode(at === -1 ? part : part.slice(0, at));
    const value = at === -1 ? '' : decode(part.slice(at + 1));
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  return [...values.keys()]
    .sort()
    .flatMap((key) => [...values.get(key)!].sort().map((value) => `${encode(key)}=${encode(value)}`))
    .join('&');
}

/** RFC 3986 unreserved characters stay, everything else is %XX (upper-case) of its UTF-8 bytes. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  if (!header?.startsWith(ALGORITHM + ' ')) return null;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const at = part.indexOf('=');
    if (at !== -1) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const accessKey = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKey || !signedHeaders || !signature) return null;
  return { accessKey, signedHeaders: signedHeaders.split(';').map((name) => name.toLowerCase()), signature };
}

/** `YYYYMMDDTHHmmssZ`, always UTC. */
function parseSdkDate(text: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
