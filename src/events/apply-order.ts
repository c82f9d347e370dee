import type { ResourceKind } from '../inventory/resource-columns';
import type { InboxEvent } from './inbox/inbox-event';
import type { ResolvedEvent } from './resolved-event';

/** Re-reads wait on the vendor: at most this many per slice of a claim, so the slice's other writes are not held up long and a stop comes soon. */
export const REREADS_PER_SLICE = 16;

/** The claim in slices (oldest first) of at most REREADS_PER_SLICE events that will be re-read from the vendor. */
export function claimSlices(events: InboxEvent[]): InboxEvent[][] {
  const answer: InboxEvent[][] = [];
  let slice: InboxEvent[] = [];
  let rereads = 0;
  for (const event of events) {
    const rereadsIt = event.action === 'reread' || (event.action === 'upsert' && !event.observedAt);
    if (rereadsIt && rereads === REREADS_PER_SLICE) {
      answer.push(slice);
      slice = [];
      rereads = 0;
    }
    slice.push(event);
    if (rereadsIt) rereads++;
  }
  if (slice.length > 0) answer.push(slice);
  return answer;
}

/**
 * The events in waves that each name a resource at most once, grouped by
 * kind: the first event of every resource, then the second, and so on. Applied
 * wave after wave, a resource's events apply in their order (the write path
 * keeps only the last copy of a resource it is given twice).
 */
export function applyWaves(resolved: ResolvedEvent[]): Map<ResourceKind, ResolvedEvent[]>[] {
  const waves: Map<ResourceKind, ResolvedEvent[]>[] = [];
  const seen = new Map<string, number>();
  for (const entry of resolved) {
    const key = `${entry.kind.type}\u0000${entry.event.instanceId}`;
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    const wave = (waves[index] ??= new Map());
    const ofKind = wave.get(entry.kind);
    if (ofKind) ofKind.push(entry);
    else wave.set(entry.kind, [entry]);
  }
  return waves;
}
