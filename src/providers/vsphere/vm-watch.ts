import type { FeedAnswer, HostRecord, RejectedItem } from '../provider';
import { ProviderError } from '../provider-error';
import { applyObjectUpdate, type ObjectUpdate, type UpdateSet } from './update-set';
import type { MoRef, WaitOptions } from './vim-envelopes';
import { listDatacenters, type VmListingOptions } from './vm-listing';
import { VM_PROPERTIES, inventoryName, isTemplate, toHostRecord, vmIdentity, type VirtualMachineContent } from './vm-mapper';
import type { VimValue } from './vim-xml';
import { cleanupSignal, type VsphereSession } from './vsphere-session';

/** What the watch holds of one VM as one datacenter's view reports it: its properties as last seen, to apply the next modify onto. */
interface HeldVm {
  props: Record<string, VimValue>;
  /** What the inventory makes of it: a record, an unreadable item, or nothing (a template). */
  outcome: { record: HostRecord } | { rejected: RejectedItem } | null;
}

/**
 * The VMs followed, by MoRef, then by the datacenter whose view reports them:
 * a VM migrated to another datacenter enters that view and leaves its old one,
 * in either order, and is gone only when no view holds it.
 */
type HeldVms = Map<string, Map<string, HeldVm>>;

/** The changes of one answer (several, when the server truncated it), by VM MoRef: the last word on a VM wins. */
class PendingAnswer {
  readonly items = new Map<string, HostRecord>();
  readonly rejected = new Map<string, RejectedItem>();
  readonly gone = new Map<string, string>();

  written(moRef: string, record: HostRecord): void {
    this.forget(moRef);
    this.items.set(moRef, record);
  }

  unreadable(moRef: string, item: RejectedItem): void {
    this.forget(moRef);
    this.rejected.set(moRef, item);
  }

  left(moRef: string, instanceId: string): void {
    this.forget(moRef);
    this.gone.set(moRef, instanceId);
  }

  toAnswer(complete: boolean, observedAt: Date): FeedAnswer<HostRecord> {
    return { complete, observedAt, items: [...this.items.values()], rejected: [...this.rejected.values()], gone: [...this.gone.values()] };
  }

  private forget(moRef: string): void {
    this.items.delete(moRef);
    this.rejected.delete(moRef);
    this.gone.delete(moRef);
  }
}

/**
 * Follows every VM of a vCenter through the session's PropertyCollector.
 *
 * A VM's datacenter is not a VM property, so, as the listing does, the watch
 * opens one container view (and one filter) per datacenter: the filter an
 * update comes from names the VM's datacenter. One more filter over the
 * datacenters themselves tells when one is added, renamed or removed; the
 * filters then no longer cover the vCenter, and the watch ends with
 * `DatacentersChanged` so that its caller starts over.
 *
 * The first WaitForUpdatesEx (version '') answers every VM as `enter`: the
 * first answer yielded is the complete listing. Truncated answers are
 * continued at once with their version and yielded as one. A fault ends the
 * watch (a dead session or an `InvalidCollectorVersion` cannot be resumed);
 * the filters and views are destroyed on the way out, best effort.
 */
export async function* watchVirtualMachines(
  session: VsphereSession,
  listing: VmListingOptions,
  wait: WaitOptions,
): AsyncGenerator<FeedAnswer<HostRecord>> {
  const datacenters = await listDatacenters(session, listing);
  const views: MoRef[] = [];
  const filters: MoRef[] = [];
  const datacenterOfFilter = new Map<string, string>();
  const follow = async (container: MoRef, objectType: string, paths: readonly string[]): Promise<MoRef> => {
    const view = await session.call((client, signal) => client.createContainerView(container, [objectType], true, signal));
    views.push(view);
    const filter = await session.call((client, signal) => client.createFilter({ view, objectType, paths }, signal));
    filters.push(filter);
    return filter;
  };
  try {
    for (const datacenter of datacenters) {
      const filter = await follow(datacenter.ref, 'VirtualMachine', VM_PROPERTIES);
      datacenterOfFilter.set(filter.value, datacenter.name);
    }
    const datacenterFilter = await follow(session.serviceContent.rootFolder, 'Datacenter', ['name']);

    const held: HeldVms = new Map();
    const opened = new Map(datacenters.map((datacenter) => [datacenter.ref.value, datacenter.name]));
    const entered = new Set<string>();
    let version = '';
    let listed = false;
    let pending = new PendingAnswer();
    for (;;) {
      const set: UpdateSet | null = await session.call((client, signal) => client.waitForUpdatesEx(version, wait, signal));
      if (set === null) continue; // the wait ended with nothing new
      version = set.version;
      for (const filterUpdate of set.filterSet) {
        if (filterUpdate.filter.value === datacenterFilter.value) {
          if (listed && filterUpdate.objectSet.length > 0) throw datacentersChanged();
          // The first answer must show the very datacenters the VM filters were opened for: one added or renamed
          // since they were listed would go unfollowed, and its VMs be missing from (so swept by) the listing.
          for (const update of filterUpdate.objectSet) {
            if (update.kind !== 'enter' || opened.get(update.obj.value) !== enteredName(update)) throw datacentersChanged();
            entered.add(update.obj.value);
          }
          continue;
        }
        const datacenter = datacenterOfFilter.get(filterUpdate.filter.value);
        if (datacenter === undefined) continue; // a filter of another client of this session
        for (const update of filterUpdate.objectSet) applyVmUpdate(held, pending, datacenter, update);
      }
      if (set.truncated) continue;
      if (!listed && entered.size !== opened.size) throw datacentersChanged(); // one removed meanwhile
      yield pending.toAnswer(!listed, new Date());
      listed = true;
      pending = new PendingAnswer();
    }
  } finally {
    // One bounded budget for them all: a stop must not wait for a vCenter that no longer answers (logging out takes them anyway).
    const cleanup = cleanupSignal();
    for (const filter of filters) await session.call((client, signal) => client.destroyPropertyFilter(filter, signal), cleanup).catch(() => undefined);
    for (const view of views) await session.call((client, signal) => client.destroyView(view, signal), cleanup).catch(() => undefined);
  }
}

function applyVmUpdate(held: HeldVms, pending: PendingAnswer, datacenter: string, update: ObjectUpdate): void {
  const moRef = update.obj.value;
  const views = held.get(moRef) ?? new Map<string, HeldVm>();
  held.set(moRef, views);
  const before = views.get(datacenter);
  if (update.kind === 'leave') {
    views.delete(datacenter);
    const elsewhere = [...views.values()].at(-1);
    if (elsewhere) return report(pending, moRef, elsewhere, before); // it migrated: where it is now stands
    held.delete(moRef);
    if (before && instanceIdOf(before)) pending.left(moRef, instanceIdOf(before)!);
    return;
  }
  const content: VirtualMachineContent = { obj: update.obj, props: applyObjectUpdate(before?.props ?? {}, update), datacenter };
  const vm: HeldVm = { props: content.props, outcome: outcomeOf(content) };
  views.set(datacenter, vm);
  report(pending, moRef, vm, before);
}

/** The inventory's word on a VM: its record, why it cannot be read, or nothing for a template (the listing skips those too). */
function outcomeOf(content: VirtualMachineContent): HeldVm['outcome'] {
  if (isTemplate(content)) return null;
  try {
    return { record: toHostRecord(content) };
  } catch (error) {
    return { rejected: { ...vmIdentity(content), reason: error instanceof Error ? error.message : String(error) } };
  }
}

function instanceIdOf(vm: HeldVm): string | null {
  return vm.outcome && 'record' in vm.outcome ? vm.outcome.record.instanceId : null;
}

function report(pending: PendingAnswer, moRef: string, vm: HeldVm, before: HeldVm | undefined): void {
  if (vm.outcome === null) {
    // A VM turned into a template leaves the inventory.
    const previous = before && instanceIdOf(before);
    if (previous) pending.left(moRef, previous);
  } else if ('record' in vm.outcome) {
    pending.written(moRef, vm.outcome.record);
  } else {
    pending.unreadable(moRef, vm.outcome.rejected);
  }
}

/** The name a datacenter enters the datacenter filter with, as the listing of datacenters reads it. */
function enteredName(update: ObjectUpdate): string {
  const name = update.changeSet.find((change) => change.name === 'name')?.val;
  return inventoryName(name) ?? update.obj.value;
}

function datacentersChanged(): ProviderError {
  return new ProviderError({
    vendor: 'vsphere',
    code: 'DatacentersChanged',
    message: 'a datacenter was added, renamed or removed: the watch starts over to cover it',
    retryable: true,
  });
}
