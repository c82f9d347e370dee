import type { EnvironmentVariables } from '../config/environment';
import { AuthFailureThrottle } from './auth-failure-throttle';

describe('AuthFailureThrottle', () => {
  const throttle = () => new AuthFailureThrottle({ CMDB_AUTH_FAILURES_PER_MINUTE: 3 } as EnvironmentVariables);
  const t0 = 1_000_000;

  it('lets a client fail up to the limit in a minute, then makes it wait until its oldest failure leaves the window', () => {
    const limiter = throttle();
    limiter.recordFailure('10.0.0.1', t0);
    limiter.recordFailure('10.0.0.1', t0 + 10_000);
    expect(limiter.retryAfterSeconds('10.0.0.1', t0 + 10_000)).toBe(0);
    limiter.recordFailure('10.0.0.1', t0 + 20_000);
    expect(limiter.retryAfterSeconds('10.0.0.1', t0 + 20_000)).toBe(40);
    expect(limiter.retryAfterSeconds('10.0.0.1', t0 + 59_500)).toBe(1);
    // The first failure has slid out of the window: one more try is allowed.
    expect(limiter.retryAfterSeconds('10.0.0.1', t0 + 60_001)).toBe(0);
    limiter.recordFailure('10.0.0.1', t0 + 60_001);
    expect(limiter.retryAfterSeconds('10.0.0.1', t0 + 60_001)).toBe(10);
  });

  it('counts each client apart', () => {
    const limiter = throttle();
    for (let i = 0; i < 3; i++) limiter.recordFailure('10.0.0.1', t0 + i);
    expect(limiter.retryAfterSeconds('10.0.0.1', t0 + 3)).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('10.0.0.2', t0 + 3)).toBe(0);
  });

  it('forgets a client whose failures are all older than a minute', () => {
    const limiter = throttle();
    for (let i = 0; i < 3; i++) limiter.recordFailure('10.0.0.1', t0);
    expect(limiter.retryAfterSeconds('10.0.0.1', t0 + 61_000)).toBe(0);
    limiter.recordFailure('10.0.0.1', t0 + 61_000);
    expect(limiter.retryAfterSeconds('10.0.0.1', t0 + 61_000)).toBe(0);
  });
});
