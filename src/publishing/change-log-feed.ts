import { Injectable } from '@nestjs/common';
import { ChangeSignal } from '../changes/change-signal';
import { ChangesService } from '../changes/changes.service';
import type { ChangeRecord } from '../changes/change-record';
import { CHANGE_FEED, type ChangeFeed } from './change-feed';
import type { PublishableChange } from './publishable-change';

/** The publishers' view of the Changes module: the log is read through its service, never with SQL of ours. */
@Injectable()
export class ChangeLogFeed implements ChangeFeed {
  constructor(
    private readonly changes: ChangesService,
    private readonly signal: ChangeSignal,
  ) {}

  async readAfter(after: string, limit: number): Promise<PublishableChange[]> {
    return (await this.changes.readAfter(Number(after), limit)).map(toPublishable);
  }

  async latestRevision(): Promise<string> {
    return String(await this.changes.latestRevision());
  }

  onCommitted(listener: () => void): () => void {
    return this.signal.subscribe(() => listener());
  }
}

function toPublishable(record: ChangeRecord): PublishableChange {
  return {
    revision: String(record.revision),
    time: record.changedAt,
    kind: record.kind,
    vendor: record.vendor,
    instanceId: record.instanceId,
    region: record.region,
    changeType: record.changeType,
    object: record.object === null ? null : (JSON.parse(record.object) as Record<string, unknown>),
    changedFields: record.changedFields,
    origin: { trigger: record.trigger, jobId: record.jobId, eventId: record.eventId },
  };
}

export const ChangeLogFeedProvider = { provide: CHANGE_FEED, useExisting: ChangeLogFeed };
