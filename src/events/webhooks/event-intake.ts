import { Injectable } from '@nestjs/common';
import { findUnstorableText } from '../../common/validation';
import { MetricsService } from '../../metrics/metrics.service';
import { EventWorker } from '../event-worker';
import { EventInbox } from '../inbox/event-inbox';
import type { NewInboxEvent, StoredEvent } from '../inbox/inbox-event';
import { WebhookRefusal } from './webhook-refusals';

/** Stores verified events and wakes the worker: what every webhook does once a delivery is verified. */
@Injectable()
export class EventIntake {
  constructor(
    private readonly inbox: EventInbox,
    private readonly worker: EventWorker,
    private readonly metrics: MetricsService,
  ) {}

  async store(events: NewInboxEvent[]): Promise<StoredEvent[]> {
    // Text PostgreSQL cannot hold (NUL, lone surrogates) would fail the insert: a 4xx, as the vendor cannot fix it by retrying.
    const unstorable = findUnstorableText(events, 'events');
    if (unstorable) throw new WebhookRefusal('malformed', `the delivery cannot be stored: ${unstorable.problems[0]}`);
    const stored = await this.inbox.store(events);
    stored.forEach((result, index) => {
      const event = events[index];
      const outcome = result.duplicate ? 'duplicate' : event.action === null ? 'ignored' : 'stored';
      this.metrics.deltaEvents.inc({ vendor: event.vendor, outcome });
    });
    if (stored.some((result) => !result.duplicate)) this.worker.wake();
    return stored;
  }
}
