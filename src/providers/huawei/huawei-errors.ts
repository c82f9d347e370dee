import { responseTooLarge } from '../common/response-limit';
import { ProviderError } from '../provider-error';
import { ServiceResponseException } from './huawei-sdk';

/**
 * Turns what the Huawei SDK throws into a ProviderError. The SDK throws
 * ClientRequestException (4xx), ServerResponseException (5xx) and, with no
 * HTTP status at all, ServiceResponseException carrying axios' message
 * (timeout, refused, reset). Only the vendor's code and message travel on:
 * never the request, whose headers hold the signature.
 */
export function huaweiError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof ServiceResponseException) {
    const status = Number(error.httpStatusCode);
    const requestId = error.requestId ?? null;
    if (Number.isInteger(status) && status > 0) {
      return new ProviderError({
        vendor: 'huawei',
        code: error.errorCode ?? `HTTP${status}`,
        message: error.errorMsg ?? `HTTP ${status}`,
        retryable: isRetryableStatus(status),
        httpStatus: status,
        requestId,
      });
    }
    return transportError(error.errorMsg ?? error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  // The signer's RequiredError (empty AK/SK) and the like: retrying cannot help.
  return new ProviderError({ vendor: 'huawei', code: 'ClientError', message, retryable: false });
}

/** A 200 whose body is not the documented shape (a gateway's HTML page, a truncated body). */
export function invalidResponse(what: string): ProviderError {
  return new ProviderError({
    vendor: 'huawei',
    code: 'InvalidResponse',
    message: `unexpected ${what} response body`,
    retryable: true,
  });
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function transportError(message: string): ProviderError {
  const cut = /maxContentLength size of (\d+) exceeded/.exec(message);
  if (cut) return responseTooLarge('huawei', Number(cut[1]));
  if (/timeout/i.test(message)) {
    return new ProviderError({ vendor: 'huawei', code: 'Timeout', message, retryable: true });
  }
  if (/cancel|abort/i.test(message)) {
    return new ProviderError({ vendor: 'huawei', code: 'Aborted', message: 'the request was cancelled', retryable: false });
  }
  return new ProviderError({ vendor: 'huawei', code: 'NetworkError', message, retryable: true });
}
