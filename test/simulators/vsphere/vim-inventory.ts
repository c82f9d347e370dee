import { uuidFor } from '../common/generator';
import type { SimHost } from '../common/model';
import { esc, fields, moRef, propSet, val } from './vim-xml-writer';

/**
 * The vCenter inventory around the simulator's VMs: a root folder, one
 * datacenter per SimHost region (with its vmFolder, a few ESXi hosts and a
 * resource pool), and the VM properties rendered as vCenter renders them.
 */

export const ROOT_FOLDER = 'group-d1';

/** Created once per name and never changed: fixed MoRefs for the life of the simulator. */
export interface SimDatacenter {
  readonly name: string;
  readonly ref: string;
  readonly vmFolder: string;
  readonly esxiHosts: readonly string[];
  readonly resourcePool: string;
}

export class DatacenterRegistry {
  private readonly byName = new Map<string, SimDatacenter>();
  private next = 2;

  /** The datacenter of that name, created on first use with stable MoRefs. */
  ensure(name: string): SimDatacenter {
    let datacenter = this.byName.get(name);
    if (!datacenter) {
      const n = this.next++;
      datacenter = {
        name,
        ref: `datacenter-${n}`,
        vmFolder: `group-v${n}`,
        esxiHosts: [1, 2, 3].map((k) => `host-${n * 10 + k}`),
        resourcePool: `resgroup-${n * 10}`,
      };
      this.byName.set(name, datacenter);
    }
    return datacenter;
  }

  all(): SimDatacenter[] {
    return [...this.byName.values()];
  }

  /** The datacenter a container MoRef stands for (the datacenter or its vmFolder); `null` for the root folder. */
  byContainer(ref: string): SimDatacenter | null | undefined {
    if (ref === ROOT_FOLDER) return null;
    return this.all().find((datacenter) => datacenter.ref === ref || datacenter.vmFolder === ref);
  }
}

export const datacenterOf = (host: SimHost) => host.datacenter ?? host.region;

/** vSphere keeps `%`, `/` and `\` escaped in inventory names. */
export const escapeInventoryName = (name: string) => name.replace(/%/g, '%25').replace(/\//g, '%2f').replace(/\\/g, '%5c');

/** Ids vCenter derives per VM; uuid v5 is a SHA-1, so they are computed once per SimHost object. */
interface DerivedIds {
  instanceUuid: string;
  /** The BIOS uuid (config.uuid) differs from the vCenter-assigned instanceUuid. */
  biosUuid: string;
  mac: string;
  linkLocal: string;
}
const derivedCache = new WeakMap<SimHost, DerivedIds>();

function derived(host: SimHost): DerivedIds {
  let ids = derivedCache.get(host);
  if (!ids) {
    const hex = uuidFor(`${host.id}/mac`).replace(/-/g, '');
    ids = {
      instanceUuid: uuidFor(host.id),
      biosUuid: uuidFor(`${host.id}/bios`),
      mac: `00:50:56:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`,
      linkLocal: `fe80::250:56ff:fe${hex.slice(6, 8)}:${hex.slice(8, 12)}`,
    };
    derivedCache.set(host, ids);
  }
  return ids;
}

function pick<T>(list: readonly T[], key: string): T {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  return list[hash % list.length];
}

/** Guest info exists only while VMware Tools runs, i.e. while the VM is powered on. */
const guestRunning = (host: SimHost) => host.rawStatus === 'poweredOn';

function nicInfo(host: SimHost): string {
  const addresses = [...host.privateIps, ...host.publicIps, derived(host).linkLocal];
  const ipConfig = addresses
    .map(
      (address) =>
        `<ipAddress><ipAddress>${esc(address)}</ipAddress><prefixLength>${address.includes(':') ? 64 : 24}</prefixLength>` +
        `<state>preferred</state></ipAddress>`,
    )
    .join('');
  return (
    '<GuestNicInfo xsi:type="GuestNicInfo">' +
    fields([['network', 'VM Network']]) +
    addresses.map((address) => `<ipAddress>${esc(address)}</ipAddress>`).join('') +
    fields([
      ['macAddress', derived(host).mac],
      ['connected', true],
      ['deviceConfigId', 4000],
    ]) +
    `<ipConfig>${ipConfig}</ipConfig>` +
    '</GuestNicInfo>'
  );
}

function configSummary(host: SimHost, template: boolean): string {
  return val.complex(
    'VirtualMachineConfigSummary',
    fields([
      ['name', escapeInventoryName(host.name)],
      ['template', template],
      ['vmPathName', `[datastore1] ${host.name}/${host.name}.vmx`],
      ['memorySizeMB', host.memoryMib],
      ['cpuReservation', 0],
      ['memoryReservation', 0],
      ['numCpu', host.cpu],
      ['numEthernetCards', 1],
      ['numVirtualDisks', 1],
      ['uuid', derived(host).biosUuid],
      ['instanceUuid', derived(host).instanceUuid],
      ['guestId', host.imageId],
      ['guestFullName', host.osName],
      ['installBootRequired', false],
      ['numVmiopBackings', 0],
      ['hwVersion', host.instanceType],
    ]),
  );
}

/** One `<val>` per property path, or null when the VM has that property unset (vCenter then omits it). */
function propertyValue(host: SimHost, datacenter: SimDatacenter, path: string, template: boolean): string | null {
  switch (path) {
    case 'name':
      return val.string(escapeInventoryName(host.name));
    case 'config.uuid':
      return val.string(derived(host).biosUuid);
    case 'config.instanceUuid':
      return val.string(derived(host).instanceUuid);
    case 'config.createDate':
      return val.dateTime(host.createdAt);
    case 'config.template':
      return `<val xsi:type="xsd:boolean">${template}</val>`;
    case 'summary.config':
      return configSummary(host, template);
    case 'summary.runtime.host':
      return val.moRef('HostSystem', pick(datacenter.esxiHosts, host.id));
    case 'runtime.powerState':
      return val.enumValue('VirtualMachinePowerState', template ? 'poweredOff' : host.rawStatus);
    case 'resourcePool':
      return template ? null : val.moRef('ResourcePool', datacenter.resourcePool);
    case 'guest.ipAddress':
      return guestRunning(host) && !template && host.privateIps.length > 0 ? val.string(host.privateIps[0]) : null;
    case 'guest.hostName':
      return guestRunning(host) && !template ? val.string(host.hostname) : null;
    case 'guest.net':
      return val.arrayOf('GuestNicInfo', guestRunning(host) && !template ? [nicInfo(host)] : []);
    default:
      return null;
  }
}

/** The `<val>` of each requested path the VM has set. */
export function vmProperties(host: SimHost, datacenter: SimDatacenter, paths: string[], template: boolean): Map<string, string> {
  const props = new Map<string, string>();
  for (const path of paths) {
    const value = propertyValue(host, datacenter, path, template);
    if (value !== null) props.set(path, value);
  }
  return props;
}

export function datacenterProperties(datacenter: SimDatacenter, paths: string[]): Map<string, string> {
  const props = new Map<string, string>();
  for (const path of paths) {
    if (path === 'name') props.set('name', val.string(escapeInventoryName(datacenter.name)));
    if (path === 'vmFolder') props.set('vmFolder', val.moRef('Folder', datacenter.vmFolder));
  }
  return props;
}

const objectContent = (type: string, id: string, props: Map<string, string>) =>
  `<objects>${moRef('obj', type, id)}${[...props].map(([path, value]) => propSet(path, value)).join('')}</objects>`;

export function renderVm(host: SimHost, datacenter: SimDatacenter, paths: string[], template: boolean): string {
  return objectContent('VirtualMachine', host.id, vmProperties(host, datacenter, paths, template));
}

export function renderDatacenter(datacenter: SimDatacenter, paths: string[]): string {
  return objectContent('Datacenter', datacenter.ref, datacenterProperties(datacenter, paths));
}
