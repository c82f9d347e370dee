import type { FeedAnswer, HostRecord, RejectedItem } from '../provider';
import { ProviderError } from '../provider-error';
import { applyObjectUpdate, type ObjectUpdate, type UpdateSet } from './update-set';
import type { MoRef, WaitOptions } from './vim-envelopes';
import { listDatacenters, type VmListingOptions } from './vm-listing';
import { VM_PROPERTIES, isTemplate, toHostRecord, vmIdentity, type VirtualMachineContent } from './vm-mapper';
import type { VimValue } from './vim-xml';
import type { VsphereSession } from './vsphere-session';

/** What the watch holds of one VM: its properties as last seen, to apply the next modify onto. */
interface HeldVm {
  datacenter: string;
  props: Record<string, VimValue>;
  /** null while the VM is a template or unreadable: nothing of it is in the inventory. */
  instanceId: string | null;
}

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

    const held = new Map<string, HeldVm>();
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
          continue;
        }
        const datacenter = datacenterOfFilter.get(filterUpdate.filter.value);
        if (datacenter === undefined) continue; // a filter of another client of this session
        for (const update of filterUpdate.objectSet) applyVmUpdate(held, pending, datacenter, update);
      }
      if (set.truncated) continue;
      yield pending.toAnswer(!listed, new Date());
      listed = true;
      pending = new PendingAnswer();
    }
  } finally {
    for (const filter of filters) await session.call((client, signal) => client.destroyPropertyFilter(filter, signal), null).catch(() => undefined);
    for (const view of views) await session.call((client, signal) => client.destroyView(view, signal), null).catch(() => undefined);
  }
}

function applyVmUpdate(held: Map<string, HeldVm>, pending: PendingAnswer, datacenter: string, update: ObjectUpdate): void {
  const moRef = update.obj.value;
  const before = held.get(moRef);
  if (update.kind === 'leave') {
    held.delete(moRef);
    if (before?.instanceId) pending.left(moRef, before.instanceId);
    return;
  }
  const content: VirtualMachineContent = { obj: update.obj, props: applyObjectUpdate(before?.props ?? {}, update), datacenter };
  const vm: HeldVm = { datacenter, props: content.props, instanceId: null };
  held.set(moRef, vm);
  if (isTemplate(content)) {
    // A VM turned into a template leaves the inventory, as the listing skips templates.
    if (before?.instanceId) pending.left(moRef, before.instanceId);
    return;
  }
  try {
    const record = toHostRecord(content);
    vm.instanceId = record.instanceId;
    pending.written(moRef, record);
  } catch (error) {
    pending.unreadable(moRef, { ...vmIdentity(content), reason: error instanceof Error ? error.message : String(error) });
  }
}

function datacentersChanged(): ProviderError {
  return new ProviderError({
    vendor: 'vsphere',
    code: 'DatacentersChanged',
    message: 'a datacenter was added, renamed or removed: the watch starts over to cover it',
    retryable: true,
  });
}
