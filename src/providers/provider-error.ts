import type { Vendor } from './provider';

export interface ProviderErrorInit {
  vendor: Vendor;
  /** The vendor's own code (`Throttling.User`, `RequestLimitExceeded`, `APIGW.0308`), or ours (`Timeout`, `NetworkError`, `InvalidResponse`). */
  code: string;
  message: string;
  retryable: boolean;
  httpStatus?: number | null;
  requestId?: string | null;
}

/**
 * The one error every provider throws. Its message is the vendor's message,
 * never a request dump: no credential can travel inside it.
 */
export class ProviderError extends Error {
  readonly vendor: Vendor;
  readonly code: string;
  readonly retryable: boolean;
  readonly httpStatus: number | null;
  readonly requestId: string | null;

  constructor(init: ProviderErrorInit) {
    super(init.message);
    this.name = 'ProviderError';
    this.vendor = init.vendor;
    this.code = init.code;
    this.retryable = init.retryable;
    this.httpStatus = init.httpStatus ?? null;
    this.requestId = init.requestId ?? null;
  }

  toJSON() {
    return {
      vendor: this.vendor,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      http_status: this.httpStatus,
      request_id: this.requestId,
    };
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
