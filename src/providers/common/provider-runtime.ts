import Bottleneck from 'bottleneck';
import { backOff } from 'exponential-backoff';
import type { ProviderCredentials } from '../provider';
import { ProviderError, isProviderError } from '../provider-error';
import { MAX_VENDOR_RESPONSE_BYTES } from './response-limit';

export interface CallPolicy {
  /** Upper bound of one vendor call, retries not included. */
  timeoutMs: number;
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** First backoff delay; doubles per attempt, full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Pages fetched at once when the total is known (the rate limiter still applies). */
  pageConcurrency: number;
  /** The largest answer one call reads; a larger one fails the call with ResponseTooLarge. */
  maxResponseBytes: number;
}

export const DEFAULT_CALL_POLICY: CallPolicy = {
  timeoutMs: 30_000,
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  pageConcurrency: 4,
  maxResponseBytes: MAX_VENDOR_RESPONSE_BYTES,
};

/**
 * What every provider shares in one process: a rate limiter per secret (so two
 * syncs of one account share its budget), and the timeout + retry policy of
 * every vendor call.
 */
export class ProviderRuntime {
  readonly policy: CallPolicy;
  private readonly limiters = new Map<string, { rate: number; limiter: Bottleneck }>();

  constructor(policy: Partial<CallPolicy> = {}) {
    this.policy = { ...DEFAULT_CALL_POLICY, ...policy };
  }

  limiterFor(credentials: ProviderCredentials): Bottleneck {
    const rate = Math.max(1, credentials.requestRate);
    const entry = this.limiters.get(credentials.secretId);
    if (entry && entry.rate === rate) return entry.limiter;
    const minTime = Math.ceil(1000 / rate);
    if (entry) {
      entry.limiter.updateSettings({ minTime });
      entry.rate = rate;
      return entry.limiter;
    }
    const limiter = new Bottleneck({ minTime });
    this.limiters.set(credentials.secretId, { rate, limiter });
    return limiter;
  }

  /**
   * One vendor call: waits for the secret's rate budget, bounded by the
   * timeout, retried with exponential backoff and full jitter while the error
   * is retryable. `toProviderError` turns the SDK's error into ours.
   */
  async call<T>(
    credentials: ProviderCredentials,
    request: (signal: AbortSignal) => Promise<T>,
    toProviderError: (error: unknown) => ProviderError,
    signal?: AbortSignal,
  ): Promise<T> {
    const limiter = this.limiterFor(credentials);
    const attempt = () =>
      limiter.schedule(() => this.withTimeout(credentials, request, toProviderError, signal));
    return backOff(attempt, {
      numOfAttempts: this.policy.maxAttempts,
      startingDelay: this.policy.baseDelayMs,
      maxDelay: this.policy.maxDelayMs,
      timeMultiple: 2,
      jitter: 'full',
      retry: (error: unknown) => isProviderError(error) && error.retryable && !signal?.aborted,
    });
  }

  private async withTimeout<T>(
    credentials: ProviderCredentials,
    request: (signal: AbortSignal) => Promise<T>,
    toProviderError: (error: unknown) => ProviderError,
    outer?: AbortSignal,
  ): Promise<T> {
    if (outer?.aborted) throw aborted(credentials);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new ProviderError({
            vendor: credentials.vendor,
            code: 'Timeout',
            message: `vendor call did not answer within ${this.policy.timeoutMs} ms`,
            retryable: true,
          }),
        );
      }, this.policy.timeoutMs);
    });
    const call = request(controller.signal).catch((error: unknown) => {
      throw isProviderError(error) ? error : toProviderError(error);
    });
    call.catch(() => undefined); // the race below may have settled on the timeout already
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }
}

function aborted(credentials: ProviderCredentials): ProviderError {
  return new ProviderError({
    vendor: credentials.vendor,
    code: 'Aborted',
    message: 'the listing was cancelled',
    retryable: false,
  });
}
