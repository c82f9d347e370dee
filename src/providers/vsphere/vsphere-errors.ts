import { responseTooLarge, responseTooLargeLimit } from '../common/response-limit';
import { ProviderError, isProviderError } from '../provider-error';
import type { SoapFault } from './vim-xml';
import { MalformedSoapError } from './vim-xml';

/** Faults worth another attempt: the server or its link to a host hiccuped. */
const TRANSIENT_FAULTS = new Set(['SystemError', 'HostCommunication', 'RequestCanceled', 'Timedout']);
/** Statuses of an overloaded or restarting vCenter (or its reverse proxy). */
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/** OpenSSL verification codes node reports on a rejected certificate. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/** Removes every occurrence of the given secrets from a text that leaves this module. */
export function redact(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) if (secret.length >= 3) safe = safe.split(secret).join('***');
  return safe;
}

export function faultError(fault: SoapFault, httpStatus: number, secrets: readonly string[]): ProviderError {
  return new ProviderError({
    vendor: 'vsphere',
    code: fault.type,
    message: redact(fault.message, secrets),
    retryable: TRANSIENT_FAULTS.has(fault.type) || TRANSIENT_STATUSES.has(httpStatus),
    httpStatus,
  });
}

export function httpStatusError(httpStatus: number): ProviderError {
  return new ProviderError({
    vendor: 'vsphere',
    code: TRANSIENT_STATUSES.has(httpStatus) ? 'ServiceUnavailable' : 'HttpError',
    message: `vCenter answered HTTP ${httpStatus} without a SOAP fault`,
    retryable: TRANSIENT_STATUSES.has(httpStatus) || httpStatus >= 500,
    httpStatus,
  });
}

/**
 * Anything a call can throw, as a ProviderError. Messages are built from
 * node's error codes and the vendor's fault text only: never from a request,
 * so neither the password nor the session cookie can leak through them.
 */
export function toVsphereError(error: unknown, where = 'vCenter', secrets: readonly string[] = []): ProviderError {
  if (isProviderError(error)) return error;
  const limit = responseTooLargeLimit(error);
  if (limit !== null) return responseTooLarge('vsphere', limit);
  if (error instanceof MalformedSoapError) {
    return new ProviderError({ vendor: 'vsphere', code: 'InvalidResponse', message: error.message, retryable: true });
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const reason = redact(error instanceof Error ? error.message : String(error), secrets);
  if (CERTIFICATE_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
    return new ProviderError({
      vendor: 'vsphere',
      code: 'TlsError',
      message:
        `the TLS certificate of ${where} was rejected (${code}: ${reason}); ` +
        "give the secret the vCenter's CA bundle (tls.ca), or set tls.insecure explicitly",
      retryable: false,
    });
  }
  if (code.startsWith('ERR_OSSL_') || /PEM|certificate/i.test(reason)) {
    return new ProviderError({
      vendor: 'vsphere',
      code: 'TlsError',
      message: `the TLS settings of the secret could not be used for ${where} (${code || 'invalid'}: ${reason})`,
      retryable: false,
    });
  }
  if (code === 'ABORT_ERR' || (error instanceof Error && error.name === 'AbortError')) {
    return new ProviderError({ vendor: 'vsphere', code: 'Aborted', message: `the call to ${where} was cancelled`, retryable: false });
  }
  if (NETWORK_CODES.has(code)) {
    return new ProviderError({ vendor: 'vsphere', code: 'NetworkError', message: `${where} could not be reached (${code})`, retryable: true });
  }
  if (code !== '') {
    return new ProviderError({ vendor: 'vsphere', code: 'NetworkError', message: `call to ${where} failed (${code}): ${reason}`, retryable: true });
  }
  // No system code: a fault of ours, not of the network; retrying would not help.
  return new ProviderError({ vendor: 'vsphere', code: 'InternalError', message: `call to ${where} failed: ${reason}`, retryable: false });
}
