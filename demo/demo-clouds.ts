import type { Server } from 'node:net';
import type { Vendor } from '../src/providers/provider';
import { generateDatabases, generateHosts, vendorRegions } from '../test/simulators/common/generator';
import type { SimAccount, CloudSimulator } from '../test/simulators/common/simulator';
import { HuaweiSimulator } from '../test/simulators/huawei/huawei.simulator';
import { SIMULATOR_STARTERS } from '../test/simulators/starters';
import type { VsphereSimulator } from '../test/simulators/vsphere/vsphere-simulator';
import type { SimHost } from '../test/simulators/common/model';
import { cloudNotifications, type CloudNotifications, type HostChange } from './demo-notifications';

/** The four simulated clouds of `npm run demo`, one account each. */
export interface DemoCloud {
  vendor: Vendor;
  simulator: CloudSimulator;
  account: SimAccount;
  /** POST /secrets body that reaches this cloud, delta sync on. */
  secret: Record<string, unknown>;
  /** How the cloud tells the server of its changes. */
  notifications: CloudNotifications;
}

const CREDENTIALS: Record<Vendor, { apiKey: string; apiSecret: string }> = {
  aliyun: { apiKey: 'LTAI5tDemoKey0000001', apiSecret: 'demo-aliyun-secret' },
  tencent: { apiKey: 'AKIDdemokey00000000000000000000001', apiSecret: 'demo-tencent-secret' },
  huawei: { apiKey: 'HWDEMOAK000000000001', apiSecret: 'demo-huawei-secret' },
  vsphere: { apiKey: 'administrator@vsphere.local', apiSecret: 'demo-vsphere-password' },
};

/** The vendor's word for a stopped instance. */
const STOPPED: Record<Vendor, string> = { aliyun: 'Stopped', tencent: 'STOPPED', huawei: 'SHUTOFF', vsphere: 'poweredOff' };

export interface DemoCloudOptions {
  vendors?: Vendor[];
  hosts: number;
  databases: number;
  seed?: number;
  /** A listening socket for Huawei (its SMN): the server was told its address before the simulators were loaded. */
  huaweiSocket?: Server;
}

export async function startDemoClouds(options: DemoCloudOptions): Promise<DemoCloud[]> {
  const seed = options.seed ?? 1;
  const clouds: DemoCloud[] = [];
  try {
    for (const vendor of options.vendors ?? (['aliyun', 'tencent', 'huawei', 'vsphere'] as Vendor[])) {
      const simulator =
        vendor === 'huawei' && options.huaweiSocket ? await HuaweiSimulator.start({ listenOn: options.huaweiSocket }) : await SIMULATOR_STARTERS[vendor]();
      const { apiKey, apiSecret } = CREDENTIALS[vendor];
      const account = simulator.addAccount(apiKey, apiSecret);
      for (const host of generateHosts(vendor, options.hosts, { seed })) account.hosts.set(host.id, host);
      if (vendor !== 'vsphere') for (const database of generateDatabases(vendor, options.databases, { seed })) account.databases.set(database.id, database);
      const notifications = cloudNotifications(vendor, simulator, apiKey, account);
      const secret: Record<string, unknown> = {
        name: `demo-${vendor}`,
        vendor,
        api_key: apiKey,
        api_secret: apiSecret,
        address: simulator.address,
        request_rate: 100,
        ...(vendor === 'vsphere' ? { tls: { ca: (simulator as VsphereSimulator).caPem } } : { allow_regions: vendorRegions(vendor) }),
        ...notifications.secretFields,
      };
      clouds.push({ vendor, simulator, account, secret, notifications });
    }
  } catch (error) {
    await stopDemoClouds(clouds);
    throw error;
  }
  return clouds;
}

export async function stopDemoClouds(clouds: DemoCloud[]): Promise<void> {
  await Promise.all(clouds.map((cloud) => cloud.simulator.stop()));
}

/**
 * A light background of cloud activity: every tick one instance somewhere is
 * created, stopped, renamed or released, as operators elsewhere would, and
 * the cloud notifies the server of it. Answers a function that stops it.
 */
export function startCloudActivity(clouds: DemoCloud[], everyMs: number, report: (line: string) => void): () => void {
  let tick = 0;
  let stopped = false;
  const created: Record<string, number> = {};
  const timer = setInterval(() => {
    tick++;
    const cloud = clouds[tick % clouds.length];
    const hosts = [...cloud.account.hosts.values()];
    const host = hosts[(tick * 7919) % Math.max(hosts.length, 1)];
    // Each cloud takes the four kinds of change in turn.
    const step = activityStep(cloud, Math.floor(tick / clouds.length) % 4, tick, host, created);
    if (!step) return;
    cloud.notifications.change(step.host, step.change).then(
      (heard) => !stopped && report(`${cloud.vendor}: ${step.line} (${heard})`),
      (error: unknown) => !stopped && report(`${cloud.vendor}: ${step.line} (notifying failed: ${error instanceof Error ? error.message : String(error)})`),
    );
  }, everyMs);
  timer.unref();
  return () => {
    stopped = true; // a notification under way when the server stops fails: not worth a line
    clearInterval(timer);
  };
}

/** What this tick does to the cloud: create, stop, rename or release one host. */
function activityStep(
  cloud: DemoCloud,
  action: number,
  tick: number,
  host: SimHost | undefined,
  created: Record<string, number>,
): { host: SimHost; change: HostChange; line: string } | null {
  if (action === 0) {
    created[cloud.vendor] = (created[cloud.vendor] ?? 0) + 1;
    const [fresh] = generateHosts(cloud.vendor, 1, { seed: 1, startIndex: 100_000 + created[cloud.vendor] });
    return { host: fresh, change: 'created', line: `created ${fresh.name} (${fresh.id})` };
  }
  if (!host) return null;
  switch (action) {
    case 1:
      return { host: { ...host, rawStatus: STOPPED[cloud.vendor] }, change: 'updated', line: `stopped ${host.name}` };
    case 2:
      return { host: { ...host, name: `${host.name.replace(/-r\d+$/, '')}-r${tick}` }, change: 'updated', line: `renamed ${host.name}` };
    default:
      return { host, change: 'deleted', line: `released ${host.name}` };
  }
}
