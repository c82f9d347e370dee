import { createHmac } from 'node:crypto';

/** Aliyun's percent-encoding: encodeURIComponent plus `! ' ( ) *`. */
export function aliyunEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Splits a raw query or form body into decoded parameters (the server never trusts the client's encoding). */
export function parseAliyunParams(raw: string, into: Map<string, string> = new Map()): Map<string, string> {
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const key = at === -1 ? pair : pair.slice(0, at);
    const value = at === -1 ? '' : pair.slice(at + 1);
    into.set(safeDecode(key), safeDecode(value));
  }
  return into;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Signature version 1.0 (HMAC-SHA1) over the re-encoded, sorted parameters, `Signature` excluded. */
export function aliyunSignature(method: string, params: Map<string, string>, secret: string): string {
  const canonical = [...params.entries()]
    .filter(([key]) => key !== 'Signature')
    .map(([key, value]) => [aliyunEncode(key), aliyunEncode(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const stringToSign = `${method.toUpperCase()}&${aliyunEncode('/')}&${aliyunEncode(canonical)}`;
  return createHmac('sha1', secret + '&').update(stringToSign).digest('base64');
}
