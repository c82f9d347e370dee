import { RESOURCE_KINDS } from '../inventory/resource-columns';
import { applyWaves, claimSlices, REREADS_PER_SLICE } from './apply-order';
import type { InboxEvent } from './inbox/inbox-event';
import type { ResolvedEvent } from './resolved-event';

const event = (id: string, action: InboxEvent['action'], instanceId = id, observedAt: Date | null = null) => ({ id, action, instanceId, observedAt }) as InboxEvent;
const resolved = (id: string, kind: 'host' | 'rds', instanceId: string): ResolvedEvent => ({ event: event(id, 'upsert', instanceId), kind: RESOURCE_KINDS[kind] });

describe('apply order', () => {
  it('slices a claim so that no slice waits on more than REREADS_PER_SLICE vendor re-reads, keeping the order', () => {
    const claim = [
      ...Array.from({ length: REREADS_PER_SLICE + 1 }, (_, index) => event(`r${index}`, 'reread')),
      event('carried', 'upsert', 'carried', new Date()),
      event('gone', 'delete'),
    ];
    const slices = claimSlices(claim);
    expect(slices.map((slice) => slice.length)).toEqual([REREADS_PER_SLICE, 3]);
    expect(slices.flat()).toEqual(claim);
    expect(claimSlices(Array.from({ length: 200 }, (_, index) => event(`c${index}`, 'delete')))).toHaveLength(1);
  });

  it("puts a resource's second event in a later wave, and groups each wave by kind", () => {
    const waves = applyWaves([resolved('1', 'host', 'i-a'), resolved('2', 'rds', 'i-a'), resolved('3', 'host', 'i-b'), resolved('4', 'host', 'i-a')]);
    const ids = waves.map((wave) => Object.fromEntries([...wave].map(([kind, entries]) => [kind.type, entries.map((entry) => entry.event.id)])));
    expect(ids).toEqual([{ host: ['1', '3'], rds: ['2'] }, { host: ['4'] }]);
  });
});
