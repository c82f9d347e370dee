import TencentCloudSDKHttpException from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/exception/tencent_cloud_sdk_exception';
import { responseTooLarge, responseTooLargeLimit } from '../common/response-limit';
import { ProviderError, isProviderError } from '../provider-error';

/** Vendor codes worth retrying: flow control and the service's own failures. */
const RETRYABLE_CODES = new Set(['RequestLimitExceeded', 'InternalError', 'ResourceUnavailable', 'FailedOperation.RequestLimitExceeded']);

interface TencentSdkError {
  name?: string;
  type?: string;
  code?: unknown;
  httpCode?: number;
  requestId?: string;
  message?: string;
}

/**
 * Tencent SDK error -> ProviderError. The SDK throws TencentCloudSDKHttpException
 * for vendor errors (`code` + `requestId`), for non-200 answers (`httpCode`, no
 * code) and for transport failures (neither); a non-JSON body escapes as
 * node-fetch's FetchError `invalid-json`. Only the vendor's own message is kept.
 */
export function toTencentError(error: unknown): ProviderError {
  if (isProviderError(error)) return error;
  // Cut while reading the body (node-fetch's FetchError keeps the cut's code) or
  // before it (the SDK wraps that one and keeps only its message).
  const limit = responseTooLargeLimit(error);
  if (limit !== null) return responseTooLarge('tencent', limit);
  const e = (error ?? {}) as TencentSdkError;
  const fail = (code: string, message: string, retryable: boolean, httpStatus?: number | null, requestId?: string | null) =>
    new ProviderError({ vendor: 'tencent', code, message, retryable, httpStatus, requestId: requestId || null });

  if (typeof e.code === 'string' && e.code !== '') {
    const retryable = RETRYABLE_CODES.has(e.code) || e.code.startsWith('RequestLimitExceeded');
    return fail(e.code, e.message || e.code, retryable, 200, e.requestId);
  }
  if (typeof e.httpCode === 'number') {
    const retryable = e.httpCode >= 500 || e.httpCode === 429;
    return fail(`Http${e.httpCode}`, `the vendor answered HTTP ${e.httpCode}`, retryable, e.httpCode);
  }
  if (e.name === 'FetchError' && e.type === 'invalid-json') return fail('InvalidResponse', 'the vendor answered with a body that is not JSON', true);
  if (e.name === 'AbortError') return fail('Aborted', 'the vendor call was cancelled', false);
  if (error instanceof TencentCloudSDKHttpException) {
    // A transport failure, wrapped with only node-fetch's message.
    if (/aborted/i.test(e.message ?? '')) return fail('Aborted', 'the vendor call was cancelled', false);
    if (/timeout/i.test(e.message ?? '')) return fail('Timeout', 'the vendor did not answer in time', true);
    return fail('NetworkError', 'network error reaching the vendor', true);
  }
  return fail('UnknownError', `unexpected ${e.name ?? typeof error} from the Tencent SDK`, false);
}
