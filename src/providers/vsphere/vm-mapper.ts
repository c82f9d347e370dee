import type { HostRecord, ResourceStatus } from '../provider';
import { isoTime, lookup, optionalNumber, optionalString, requireString } from '../common/normalise';
import type { ObjectContent } from './vim-client';
import type { VimValue } from './vim-xml';

/**
 * The VM properties one listing asks for. `summary.config` already carries the
 * name, uuid and instanceUuid, so `name` and `config.*uuid` are not asked
 * again: the answer is parsed at a few MB/s, and every byte counts.
 */
export const VM_PROPERTIES = [
  'summary.config',
  'summary.runtime.host',
  'runtime.powerState',
  'config.createDate',
  'guest.ipAddress',
  'guest.net',
  'guest.hostName',
  'resourcePool',
] as const;

export interface VirtualMachineContent extends ObjectContent {
  datacenter: string;
}

const POWER_STATES: Record<string, ResourceStatus> = {
  poweredon: 'running',
  poweredoff: 'stopped',
  suspended: 'stopped',
};

/** guestId families: `windows2019srv_64Guest`, `winNetStandardGuest` -> windows; the Linux distributions -> linux. */
const WINDOWS_GUEST = /^win/i;
const LINUX_GUEST =
  /linux|rhel|centos|ubuntu|debian|sles|suse|fedora|photon|oracle|rocky|alma|asianux|coreos|mandr|turbo|miracle|kylin|euler|amazon/i;

const isRecord = (value: VimValue | undefined): value is { [field: string]: VimValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !('type' in value && 'value' in value && Object.keys(value).length === 2);

const list = (value: VimValue | undefined): VimValue[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** vSphere stores `%`, `/` and `\` in inventory names escaped (`%25`, `%2f`, `%5c`). */
export function inventoryName(value: VimValue | undefined): string | null {
  const text = optionalString(value);
  return text === null ? null : text.replace(/%(25|2f|5c)/gi, (escaped) => decodeURIComponent(escaped));
}

export function isTemplate(vm: ObjectContent): boolean {
  const summary = vm.props['summary.config'];
  const template = isRecord(summary) ? summary.template : undefined;
  return template === true || template === 'true' || template === '1';
}

type IpScope = 'private' | 'public' | 'ignored';

/** Loopback and link-local addresses say nothing about the VM; RFC 1918, CGNAT and ULA are private. */
export function ipScope(address: string): IpScope {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 127 || a === 0 || (a === 169 && b === 254)) return 'ignored';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) {
      return 'private';
    }
    return 'public';
  }
  const v6 = address.toLowerCase();
  if (!v6.includes(':')) return 'ignored';
  if (v6 === '::1' || /^fe[89ab]/.test(v6)) return 'ignored';
  if (/^f[cd]/.test(v6)) return 'private';
  return 'public';
}

function addresses(vm: ObjectContent): { privateIps: string[]; publicIps: string[] } {
  const all = new Set<string>();
  const primary = optionalString(vm.props['guest.ipAddress']);
  if (primary) all.add(primary);
  for (const nic of list(vm.props['guest.net'])) {
    if (!isRecord(nic)) continue;
    for (const address of list(nic.ipAddress)) if (typeof address === 'string' && address !== '') all.add(address);
  }
  const privateIps: string[] = [];
  const publicIps: string[] = [];
  for (const address of all) {
    const scope = ipScope(address);
    if (scope === 'private') privateIps.push(address);
    else if (scope === 'public') publicIps.push(address);
  }
  return { privateIps, publicIps };
}

function osFamily(guestId: string | null): string | null {
  if (!guestId) return null;
  if (WINDOWS_GUEST.test(guestId)) return 'windows';
  return LINUX_GUEST.test(guestId) ? 'linux' : null;
}

/** The identity of a VM: instanceUuid is stable and unique across vCenters; the MoRef is not. */
export function vmIdentity(vm: ObjectContent): { instanceId: string; name: string | null } {
  const summary = vm.props['summary.config'];
  const fromSummary = isRecord(summary) ? optionalString(summary.instanceUuid) : null;
  return {
    instanceId: optionalString(vm.props['config.instanceUuid']) ?? fromSummary ?? vm.obj.value,
    name: inventoryName(vm.props.name) ?? (isRecord(summary) ? inventoryName(summary.name) : null),
  };
}

export function toHostRecord(vm: VirtualMachineContent): HostRecord {
  const summary = vm.props['summary.config'];
  const config = isRecord(summary) ? summary : {};
  const { instanceId, name } = vmIdentity(vm);
  const rawStatus = optionalString(vm.props['runtime.powerState']) ?? '';
  const guestId = optionalString(config.guestId);
  return {
    kind: 'host',
    vendor: 'vsphere',
    instanceId,
    name: requireString(name, 'name'),
    region: vm.datacenter,
    zone: null,
    status: lookup(POWER_STATES, rawStatus, 'unknown'),
    rawStatus,
    chargeType: null,
    createdAt: isoTime(vm.props['config.createDate']),
    expireAt: null,
    ...addresses(vm),
    vpcId: null,
    subnetId: null,
    tags: {},
    hostname: optionalString(vm.props['guest.hostName']),
    instanceType: null,
    cpu: optionalNumber(config.numCpu),
    memoryMib: optionalNumber(config.memorySizeMB),
    osName: optionalString(config.guestFullName),
    osType: osFamily(guestId),
    imageId: null,
    securityGroups: [],
    raw: { moRef: vm.obj.value, datacenter: vm.datacenter, ...vm.props },
  };
}
