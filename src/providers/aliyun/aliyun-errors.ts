import { responseTooLarge, responseTooLargeLimit } from '../common/response-limit';
import { ProviderError, isProviderError } from '../provider-error';

/** Vendor codes worth retrying: flow control and the gateway's own failures. */
const RETRYABLE_CODES = new Set([
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'InternalError',
  'UnknownError',
  // A nonce collision: the retry signs with a fresh nonce.
  'SignatureNonceUsed',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

interface PopCoreError {
  name?: string;
  code?: string;
  data?: { Code?: string; Message?: string; RequestId?: string };
  entry?: { response?: { statusCode?: number } | null };
}

/**
 * pop-core's error -> ProviderError. The message is the vendor's own `Message`
 * or ours, never the SDK's message (it carries the request URL).
 */
export function toAliyunError(error: unknown): ProviderError {
  if (isProviderError(error)) return error;
  const limit = responseTooLargeLimit(error);
  if (limit !== null) return responseTooLarge('aliyun', limit);
  const e = (error ?? {}) as PopCoreError;
  const fail = (code: string, message: string, retryable: boolean, httpStatus?: number | null, requestId?: string | null) =>
    new ProviderError({ vendor: 'aliyun', code, message, retryable, httpStatus, requestId });

  if (e.data && typeof e.data.Code === 'string') {
    const status = e.entry?.response?.statusCode ?? null;
    const retryable = RETRYABLE_CODES.has(e.data.Code) || e.data.Code.startsWith('Throttling') || (status !== null && status >= 500);
    return fail(e.data.Code, e.data.Message ?? e.data.Code, retryable, status, e.data.RequestId ?? null);
  }
  // json-bigint throws a plain object (not an Error) whose `text` is the whole body.
  if (e.name === 'SyntaxError') return fail('InvalidResponse', 'the vendor answered with a body that is not JSON', true);
  if (e.name === 'AbortError') return fail('Aborted', 'the vendor call was cancelled', false);
  if (typeof e.name === 'string' && e.name.includes('Timeout')) return fail('Timeout', 'the vendor did not answer in time', true);
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return fail('NetworkError', `network error (${e.code})`, true);
  return fail('UnknownError', `unexpected ${e.name ?? typeof error} from the Aliyun SDK`, false);
}
