import type { Vendor } from '../provider';
import { ProviderError } from '../provider-error';

/**
 * The largest vendor answer a provider reads. A page of a thousand instances
 * is a few MB; a body near the server's heap (256 MB in production) would
 * take the process down, so a larger one fails the call instead.
 * `CMDB_VENDOR_MAX_RESPONSE_BYTES` (CallPolicy.maxResponseBytes) replaces it.
 */
export const MAX_VENDOR_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The code a transport gives the error it cuts an oversized answer with. */
export const RESPONSE_TOO_LARGE_CODE = 'ERR_RESPONSE_TOO_LARGE';

/** What a capped socket or stream is destroyed with; SDKs pass it on (or its message). */
export class ResponseTooLargeError extends Error {
  readonly code = RESPONSE_TOO_LARGE_CODE;

  constructor(readonly limitBytes: number) {
    super(`the vendor's answer is larger than ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * The limit an oversized answer was cut at, when `error` is that cut: the
 * error itself, or an SDK's error carrying its code and limit or its message
 * (an SDK that wraps errors keeps only the message). Null for anything else.
 */
export function responseTooLargeLimit(error: unknown): number | null {
  const e = error as { code?: unknown; limitBytes?: unknown; message?: unknown } | null | undefined;
  if (e?.code === RESPONSE_TOO_LARGE_CODE && typeof e.limitBytes === 'number') return e.limitBytes;
  const match = typeof e?.message === 'string' ? /the vendor's answer is larger than (\d+) bytes/.exec(e.message) : null;
  return match ? Number(match[1]) : null;
}

/** The provider error of an oversized answer: no payload, no request, not retried (the next attempt would be as large). */
export function responseTooLarge(vendor: Vendor, limitBytes: number): ProviderError {
  return new ProviderError({
    vendor,
    code: 'ResponseTooLarge',
    message: `the vendor's answer was larger than ${limitBytes} bytes (CMDB_VENDOR_MAX_RESPONSE_BYTES) and was not read`,
    retryable: false,
  });
}
