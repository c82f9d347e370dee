import type { ChangeType } from '../change-log';
import type { ChangeFilter, ChangeRecord } from '../change-record';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

const EVENT_TYPE: Record<ChangeType, WatchEventType> = { created: 'ADDED', updated: 'MODIFIED', deleted: 'DELETED' };

/**
 * A change ready for every watcher: its SSE text built once, whatever the
 * number of connections (each writes the same string), plus what the
 * per-connection filters look at.
 */
export interface WatchEvent {
  revision: number;
  /** When the change was appended (just before its commit): the lag is measured from it. */
  changedAt: Date;
  scope: Omit<ChangeFilter, 'changeType'>;
  text: string;
}

/**
 * `id: <revision>` lets a standard SSE client resume with Last-Event-ID. The
 * data is one line: JSON.stringify never breaks lines, and the stored object
 * is JSON text from PostgreSQL, with its newlines escaped.
 */
export function watchEvent(change: ChangeRecord): WatchEvent {
  const type = EVENT_TYPE[change.changeType];
  const head = JSON.stringify({
    type,
    revision: change.revision,
    kind: change.kind,
    changed_at: change.changedAt.toISOString(),
    changed_fields: change.changedFields,
  });
  const data = `${head.slice(0, -1)},"object":${change.object ?? 'null'}}`;
  return {
    revision: change.revision,
    changedAt: change.changedAt,
    scope: { kind: change.kind, vendor: change.vendor, secretId: change.secretId ?? undefined, region: change.region ?? undefined },
    text: `id: ${change.revision}\nevent: ${type}\ndata: ${data}\n\n`,
  };
}

/** An object of the current state (send_initial_events): no `id`, so a reconnect in the middle starts the list again. */
export function initialEventText(revision: number, kind: string, object: string): string {
  return `event: ADDED\ndata: {"type":"ADDED","revision":${revision},"kind":"${kind}","changed_fields":null,"object":${object}}\n\n`;
}

/** Only advances the client's revision: everything that matches its filters up to it was sent. */
export function bookmarkText(revision: number, initialEventsEnd = false): string {
  const end = initialEventsEnd ? ',"initial_events_end":true' : '';
  return `id: ${revision}\nevent: BOOKMARK\ndata: {"type":"BOOKMARK","revision":${revision}${end}}\n\n`;
}

/** The stream's last event: why it ends, and the revision to resume after. */
export function errorText(code: string, message: string, revision: number): string {
  return `event: ERROR\ndata: ${JSON.stringify({ type: 'ERROR', code, message, revision })}\n\n`;
}

export function matchesScope(event: WatchEvent, filter: ChangeFilter): boolean {
  const scope = event.scope;
  return (
    (filter.kind === undefined || scope.kind === filter.kind) &&
    (filter.vendor === undefined || scope.vendor === filter.vendor) &&
    (filter.secretId === undefined || scope.secretId === filter.secretId) &&
    (filter.region === undefined || scope.region === filter.region)
  );
}
