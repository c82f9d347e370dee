import type { Vendor } from '../../src/providers/provider';
import { generateDatabases, generateHosts } from './common/generator';
import type { CloudSimulator } from './common/simulator';
import { SIMULATOR_STARTERS as STARTERS } from './starters';

/**
 * `npm run sim [-- --vendors aliyun,huawei --hosts 1000 --databases 200 --regions a,b --seed 1 --latency 0 --json]`:
 * starts the simulators with a seeded inventory and prints each endpoint and a
 * working set of credentials. With --json, one JSON line per simulator, and
 * JSON commands on stdin (`{"mutate":{"change":0.1,"remove":0.01}}`) for
 * benchmarks that run it as a child process.
 */
const CREDENTIALS: Record<Vendor, { apiKey: string; apiSecret: string }> = {
  aliyun: { apiKey: 'LTAI5tSimulatorKey0001', apiSecret: 'sim-aliyun-secret' },
  tencent: { apiKey: 'AKIDsimulatorkey000000000000000001', apiSecret: 'sim-tencent-secret' },
  huawei: { apiKey: 'HWSIMULATORAK00000001', apiSecret: 'sim-huawei-secret' },
  vsphere: { apiKey: 'administrator@vsphere.local', apiSecret: 'sim-vsphere-password' },
};

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const vendors = option('vendors', 'aliyun,tencent,huawei,vsphere').split(',') as Vendor[];
  const hosts = Number(option('hosts', '1000'));
  const databases = Number(option('databases', '200'));
  const seed = Number(option('seed', '1'));
  const latencyMs = Number(option('latency', '0'));
  const regionList = option('regions', '');
  const regions = regionList ? { regions: regionList.split(',') } : {};
  const json = process.argv.includes('--json');
  const running: CloudSimulator[] = [];
  for (const vendor of vendors) {
    if (!STARTERS[vendor]) throw new Error(`unknown vendor ${vendor}`);
    const simulator = await STARTERS[vendor]();
    running.push(simulator);
    const { apiKey, apiSecret } = CREDENTIALS[vendor];
    const account = simulator.addAccount(apiKey, apiSecret);
    for (const host of generateHosts(vendor, hosts, { seed, ...regions })) account.hosts.set(host.id, host);
    if (vendor !== 'vsphere') for (const database of generateDatabases(vendor, databases, { seed, ...regions })) account.databases.set(database.id, database);
    if (latencyMs > 0) simulator.faults.set({ latencyMs });
    const seeded = [...new Set([...account.hosts.values()].map((host) => host.region))];
    const caPem = (simulator as { caPem?: string }).caPem;
    if (json) {
      console.log(JSON.stringify({ vendor, address: simulator.address, apiKey, apiSecret, regions: seeded, caPem }));
    } else {
      console.log(`${vendor.padEnd(8)} ${simulator.address}  api_key=${apiKey} api_secret=${apiSecret}  regions=${seeded.join(',')}`);
      if (caPem) console.log(`         CA certificate (tls.ca for the secret):\n${caPem}`);
    }
  }
  if (!json) console.log(`\n${hosts} hosts and ${databases} databases per vendor (seed ${seed}). Ctrl-C to stop.`);
  const stop = async () => {
    await Promise.all(running.map((simulator) => simulator.stop()));
    process.exit(0);
  };
  if (json) listenForCommands(running);
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** Mutates every account's hosts: renames a share of them and removes another share (deterministic). */
function listenForCommands(running: CloudSimulator[]): void {
  let buffered = '';
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      const command = JSON.parse(line) as { mutate?: { change: number; remove: number } };
      if (!command.mutate) continue;
      let changed = 0;
      let removed = 0;
      for (const simulator of running) {
        const hosts = simulator.account(CREDENTIALS[simulator.vendor].apiKey).hosts;
        const all = [...hosts.values()];
        const changeEvery = Math.round(1 / command.mutate.change);
        const removeEvery = Math.round(1 / command.mutate.remove);
        all.forEach((host, index) => {
          if (index % removeEvery === removeEvery - 1) {
            hosts.delete(host.id);
            removed++;
          } else if (index % changeEvery === 0) {
            hosts.set(host.id, { ...host, name: `${host.name}-v2` });
            changed++;
          }
        });
      }
      console.log(JSON.stringify({ mutated: { changed, removed } }));
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
