import type { SimAccount } from '../common/simulator';
import type { CollectedObject } from './property-collector';
import { datacenterOf, datacenterProperties, renderDatacenter, renderVm, vmProperties, type DatacenterRegistry } from './vim-inventory';
import type { SimView } from './vim-sessions';

/** One vCenter user's inventory: its VMs, and the datacenters they are spread over. */
export interface UserInventory {
  account: SimAccount;
  datacenters: DatacenterRegistry;
  /** VM ids (MoRefs) that are templates: listed by vCenter, skipped by the inventory. */
  templates: Set<string>;
}

/** The MoRefs a view holds now: the datacenters, or the VMs below its container. */
export function viewContents(inventory: UserInventory, view: SimView): string[] {
  const { account, datacenters } = inventory;
  if (view.type === 'Datacenter') {
    for (const host of account.hosts.values()) datacenters.ensure(datacenterOf(host));
    return view.container ? [view.container.ref] : datacenters.all().map((datacenter) => datacenter.ref);
  }
  if (view.type !== 'VirtualMachine') return [];
  const ids: string[] = [];
  for (const host of account.hosts.values()) {
    if (!view.container || datacenterOf(host) === view.container.name) ids.push(host.id);
  }
  return ids;
}

/** The objects' requested properties as ObjectContent XML; objects deleted meanwhile are left out, as vCenter does. */
export function renderObjects(inventory: UserInventory, objectType: string, paths: string[], ids: string[]): string {
  const { account, datacenters, templates } = inventory;
  let objects = '';
  for (const id of ids) {
    if (objectType === 'Datacenter') {
      const datacenter = datacenters.all().find((candidate) => candidate.ref === id);
      if (datacenter) objects += renderDatacenter(datacenter, paths);
    } else {
      const host = account.hosts.get(id);
      if (host) objects += renderVm(host, datacenters.ensure(datacenterOf(host)), paths, templates.has(id));
    }
  }
  return objects;
}

/** The same objects as a PropertyFilter sees them, for the change feed's differences. */
export function collectObjects(inventory: UserInventory, objectType: string, paths: string[], ids: string[]): CollectedObject[] {
  const { account, datacenters, templates } = inventory;
  return ids.flatMap((id): CollectedObject[] => {
    if (objectType === 'Datacenter') {
      const datacenter = datacenters.all().find((candidate) => candidate.ref === id);
      return datacenter ? [{ id, fingerprint: JSON.stringify(datacenter), props: () => datacenterProperties(datacenter, paths) }] : [];
    }
    const host = account.hosts.get(id);
    if (!host) return [];
    const datacenter = datacenters.ensure(datacenterOf(host));
    const template = templates.has(id);
    // The datacenter follows from the host (its MoRefs never change), so the host and the template flag are all a VM is rendered from.
    return [{ id, fingerprint: `${template} ${JSON.stringify(host)}`, props: () => vmProperties(host, datacenter, paths, template) }];
  });
}
