import { Injectable } from '@nestjs/common';
import { X509Certificate } from 'node:crypto';
import { pemCertificates } from '../signing-certificates';
import { HUAWEI_SMN_SIGNING_CERTIFICATE } from './huawei-smn-certificate';

const FETCH_TIMEOUT_MS = 5_000;
const MAX_CERTIFICATE_BYTES = 64 * 1024;
/** Certificates fetched and kept, each under its own URL. */
const MAX_CACHED = 256;

const SHIPPED = new X509Certificate(HUAWEI_SMN_SIGNING_CERTIFICATE);

/**
 * SMN signing certificates: fetched only from a URL already checked to be the
 * region's SMN endpoint, cached per URL (never under one key: a first forged
 * message cannot poison every region), and used only when a trusted
 * certificate matches it by fingerprint or signed it.
 */
@Injectable()
export class SmnCertificates {
  private readonly cache = new Map<string, Promise<X509Certificate>>();

  /** The shipped Huawei certificate plus the secret's own. */
  trustedFor(secretCertificates: string | null): X509Certificate[] {
    return [SHIPPED, ...pemCertificates(secretCertificates)];
  }

  /** The certificate at `url` (already checked), fetched once per URL; a failed fetch is not kept. */
  fetch(url: string): Promise<X509Certificate> {
    const cached = this.cache.get(url);
    if (cached) return cached;
    const loading = download(url);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(url, loading);
    loading.catch(() => this.cache.delete(url));
    return loading;
  }
}

async function download(url: string): Promise<X509Certificate> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the signing certificate URL answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_CERTIFICATE_BYTES) throw new Error('the signing certificate is too large');
  return new X509Certificate(text);
}
