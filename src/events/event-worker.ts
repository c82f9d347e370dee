import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WakeUp } from '../common/wake-up';
import { EnvironmentVariables } from '../config/environment';
import { isProviderError } from '../providers/provider-error';
import { MetricsService } from '../metrics/metrics.service';
import { claimSlices } from './apply-order';
import { EventApplier, PermanentEventError, type EventResult } from './event-applier';
import { EventInbox } from './inbox/event-inbox';
import type { InboxEvent } from './inbox/inbox-event';

/**
 * Events claimed at once, and applied together: a few transactions per secret
 * and resource kind rather than one per event (see EventApplier).
 */
const CLAIM_BATCH = 200;
/** Idle polling, for events stored by another replica (this one is woken at once). */
const IDLE_POLL_MS = 1_000;

/**
 * Applies stored events in the background: oldest first, in order per
 * resource, transient failures retried with backoff, each outcome recorded.
 * Events stored before a restart are applied after it.
 */
@Injectable()
export class EventWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventWorker.name);
  private stopping = false;
  private loop: Promise<void> | null = null;
  /** Woken when something was stored (and by stop); else the inbox is polled. */
  private readonly wakeUp = new WakeUp();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly inbox: EventInbox,
    private readonly applier: EventApplier,
    private readonly metrics: MetricsService,
    private readonly environment: EnvironmentVariables,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
  }

  /** Something was stored: look now rather than at the next poll. */
  wake(): void {
    this.wakeUp.wake();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let claimed: InboxEvent[] = [];
      try {
        claimed = await this.inbox.claim(CLAIM_BATCH, this.environment.CMDB_EVENT_LEASE_MS);
        for (const event of claimed) this.inFlight.add(event.id);
        for (const slice of claimSlices(claimed)) {
          if (this.stopping) break;
          for (const result of await this.applier.applyAll(slice)) {
            await this.settle(result);
            this.inFlight.delete(result.event.id);
          }
        }
      } catch (error) {
        this.logger.error({ err: error }, 'the event worker could not read the inbox');
      }
      if (this.stopping) break;
      if (claimed.length === 0) await this.wakeUp.wait(IDLE_POLL_MS);
    }
    // A clean stop hands what it claimed back at once.
    await this.inbox.release([...this.inFlight]).catch(() => undefined);
  }

  /** Counts an applied event (its outcome is recorded already); retries or fails one the applier could not apply. */
  private async settle({ event, outcome, error }: EventResult): Promise<void> {
    if (outcome) {
      this.metrics.deltaEvents.inc({ vendor: event.vendor, outcome: outcome.status });
      return;
    }
    try {
      const reason = reasonOf(error);
      const retryable = !(error instanceof PermanentEventError) && (!isProviderError(error) || error.retryable);
      if (retryable && event.attempts < this.environment.CMDB_EVENT_MAX_ATTEMPTS) {
        const delay = Math.min(60_000, this.environment.CMDB_EVENT_RETRY_BASE_MS * 2 ** (event.attempts - 1));
        await this.inbox.retryLater(event.id, delay, reason);
        return;
      }
      await this.inbox.finish(this.inbox.manager, event.id, 'failed', reason);
      this.metrics.deltaEvents.inc({ vendor: event.vendor, outcome: 'failed' });
    } catch (recordError) {
      // Its claim expires and it is applied again.
      this.logger.error({ err: recordError }, `recording the failure of event ${event.id} failed`);
    }
  }
}

/** Why an event failed, for GET /events: the vendor's code and message, never a request. */
function reasonOf(error: unknown): string {
  if (isProviderError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
