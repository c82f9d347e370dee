import { createHash, createHmac } from 'node:crypto';

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export function parseTc3Authorization(header: string | undefined): Tc3Authorization | null {
  const match = header ? AUTHORIZATION.exec(header) : null;
  if (!match) return null;
  const [, secretId, date, service, signedHeaders, signature] = match;
  return { secretId, date, service, signedHeaders: signedHeaders.split(';'), signature };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * TC3-HMAC-SHA256 over `POST /` with the signed headers as the client listed
 * them (values lower-cased and trimmed; `host` without its port, as the SDK signs it).
 */
export function tc3Signature(input: {
  secretKey: string;
  timestamp: number;
  service: string;
  signedHeaders: string[];
  headerValue(name: string): string;
  body: Buffer;
}): string {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const canonicalHeaders = input.signedHeaders.map((name) => `${name}:${input.headerValue(name).trim().toLowerCase()}\n`).join('');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, input.signedHeaders.join(';'), sha256(input.body)].join('\n');
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), `${date}/${input.service}/tc3_request`, sha256(canonicalRequest)].join('\n');
  const signing = hmac(hmac(hmac('TC3' + input.secretKey, date), input.service), 'tc3_request');
  return createHmac('sha256', signing).update(stringToSign).digest('hex');
}
