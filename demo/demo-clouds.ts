import type { Vendor } from '../src/providers/provider';
import { generateDatabases, generateHosts, vendorRegions } from '../test/simulators/common/generator';
import type { SimAccount, CloudSimulator } from '../test/simulators/common/simulator';
import { SIMULATOR_STARTERS } from '../test/simulators/starters';
import type { VsphereSimulator } from '../test/simulators/vsphere/vsphere-simulator';

/** The four simulated clouds of `npm run demo` (and of the console's browser tests), one account each. */
export interface DemoCloud {
  vendor: Vendor;
  simulator: CloudSimulator;
  account: SimAccount;
  /** POST /secrets body that reaches this cloud. */
  secret: Record<string, unknown>;
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
}

export async function startDemoClouds(options: DemoCloudOptions): Promise<DemoCloud[]> {
  const seed = options.seed ?? 1;
  const clouds: DemoCloud[] = [];
  try {
    for (const vendor of options.vendors ?? (['aliyun', 'tencent', 'huawei', 'vsphere'] as Vendor[])) {
      const simulator = await SIMULATOR_STARTERS[vendor]();
      const { apiKey, apiSecret } = CREDENTIALS[vendor];
      const account = simulator.addAccount(apiKey, apiSecret);
      for (const host of generateHosts(vendor, options.hosts, { seed })) account.hosts.set(host.id, host);
      if (vendor !== 'vsphere') for (const database of generateDatabases(vendor, options.databases, { seed })) account.databases.set(database.id, database);
      const secret: Record<string, unknown> = {
        name: `demo-${vendor}`,
        vendor,
        api_key: apiKey,
        api_secret: apiSecret,
        address: simulator.address,
        request_rate: 100,
        ...(vendor === 'vsphere' ? { tls: { ca: (simulator as VsphereSimulator).caPem } } : { allow_regions: vendorRegions(vendor) }),
      };
      clouds.push({ vendor, simulator, account, secret });
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
 * created, stopped, renamed or released, as operators elsewhere would.
 * Answers a function that stops it.
 */
export function startCloudActivity(clouds: DemoCloud[], everyMs: number, report: (line: string) => void): () => void {
  let tick = 0;
  const created: Record<string, number> = {};
  const timer = setInterval(() => {
    tick++;
    const cloud = clouds[tick % clouds.length];
    const hosts = [...cloud.account.hosts.values()];
    const host = hosts[(tick * 7919) % Math.max(hosts.length, 1)];
    switch (tick % 4) {
      case 0: {
        created[cloud.vendor] = (created[cloud.vendor] ?? 0) + 1;
        const [fresh] = generateHosts(cloud.vendor, 1, { seed: 1, startIndex: 100_000 + created[cloud.vendor] });
        cloud.account.hosts.set(fresh.id, fresh);
        report(`${cloud.vendor}: created ${fresh.name} (${fresh.id})`);
        break;
      }
      case 1:
        if (!host) break;
        cloud.account.hosts.set(host.id, { ...host, rawStatus: STOPPED[cloud.vendor] });
        report(`${cloud.vendor}: stopped ${host.name}`);
        break;
      case 2:
        if (!host) break;
        cloud.account.hosts.set(host.id, { ...host, name: `${host.name.replace(/-r\d+$/, '')}-r${tick}` });
        report(`${cloud.vendor}: renamed ${host.name}`);
        break;
      case 3:
        if (!host) break;
        cloud.account.hosts.delete(host.id);
        report(`${cloud.vendor}: released ${host.name}`);
        break;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
