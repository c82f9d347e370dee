/**
 * Fault injection shared by every simulator. A test sets a plan; the simulator
 * asks, per request, whether to throttle, fail, delay or hang, and renders the
 * answer in its vendor's own error shape.
 */
export interface FaultPlan {
  /** Answer the vendor's throttle error when more than this many requests arrive within one second. */
  throttleAboveRps?: number;
  /** Throttle the next N list requests outright, whatever the rate. */
  throttleNext?: number;
  /** Fail list requests for this page (1-based) with a 5xx or a malformed body, `times` times (default: always). */
  failPage?: { page: number; kind: 'server-error' | 'malformed'; times?: number };
  /** Added to every request. */
  latencyMs?: number;
  /** Never answer a list request for this page (1-based). */
  hangPage?: number;
  /** Before answering this page (1-based), run the mutation once (add or remove instances). */
  mutateBeforePage?: { page: number; mutate: () => void };
  /** Answer this list page (1-based) as usual, followed by `bytes` of whitespace (a valid, oversized body). */
  oversizedPage?: { page: number; bytes: number };
}

export type PageFault = { kind: 'server-error' | 'malformed' | 'hang' } | null;

export class FaultInjector {
  private plan: FaultPlan = {};
  private window: number[] = [];
  private pageFailures = 0;
  private mutated = false;
  /** Every request the simulator received, for assertions on call counts. */
  requestCount = 0;
  /** Answers padded by `oversizedPage` (a retried call gets another one). */
  oversizedServed = 0;

  set(plan: FaultPlan): void {
    this.plan = { ...plan };
    this.window = [];
    this.pageFailures = 0;
    this.mutated = false;
    this.oversizedServed = 0;
  }

  reset(): void {
    this.set({});
    this.requestCount = 0;
  }

  /** Call once per request: counts it and tells whether the vendor would throttle it. */
  admit(now = Date.now()): 'ok' | 'throttle' {
    this.requestCount++;
    if (this.plan.throttleNext && this.plan.throttleNext > 0) {
      this.plan.throttleNext--;
      return 'throttle';
    }
    const limit = this.plan.throttleAboveRps;
    if (limit === undefined) return 'ok';
    this.window = this.window.filter((at) => now - at < 1000);
    if (this.window.length >= limit) return 'throttle';
    this.window.push(now);
    return 'ok';
  }

  async delay(): Promise<void> {
    if (this.plan.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.plan.latencyMs));
  }

  /** Filler the answer to this list page (1-based) carries, so that it weighs at least the planned bytes: '' for none. */
  padding(page: number): string {
    const oversized = this.plan.oversizedPage;
    if (!oversized || oversized.page !== page) return '';
    this.oversizedServed++;
    return ' '.repeat(oversized.bytes);
  }

  /** Call before answering a list page (1-based). */
  beforePage(page: number): PageFault {
    const mutation = this.plan.mutateBeforePage;
    if (mutation && mutation.page === page && !this.mutated) {
      this.mutated = true;
      mutation.mutate();
    }
    if (this.plan.hangPage === page) return { kind: 'hang' };
    const failure = this.plan.failPage;
    if (failure && failure.page === page && (failure.times === undefined || this.pageFailures < failure.times)) {
      this.pageFailures++;
      return { kind: failure.kind };
    }
    return null;
  }
}
