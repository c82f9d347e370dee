/**
 * Pager throughput against the simulators, through the real SDKs.
 *
 *   npx ts-node --transpile-only bench/providers.bench.ts [hosts]
 *
 * Per case: pages/s against a zero-latency simulator, then wall time against a
 * simulator with 50 ms latency and a secret request_rate of 20 req/s, compared
 * with the ideal (pages / 20 s). Add a vendor with one line in CASES.
 */
import { AliyunProvider } from '../src/providers/aliyun/aliyun.provider';
import { ProviderRuntime } from '../src/providers/common/provider-runtime';
import type { CloudProvider, ProviderCredentials, Vendor } from '../src/providers/provider';
import { TencentProvider } from '../src/providers/tencent/tencent.provider';
import { AliyunSimulator } from '../test/simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../test/simulators/common/generator';
import type { CloudSimulator } from '../test/simulators/common/simulator';
import { TencentSimulator } from '../test/simulators/tencent/tencent-simulator';

export interface PagerBenchCase {
  vendor: Vendor;
  /** The scope's region (null for vSphere). */
  region: string | null;
  startSimulator(): Promise<CloudSimulator>;
  provider(runtime: ProviderRuntime): CloudProvider;
}

const hostCase = (
  vendor: Vendor,
  region: string | null,
  startSimulator: () => Promise<CloudSimulator>,
  provider: (runtime: ProviderRuntime) => CloudProvider,
): PagerBenchCase => ({ vendor, region, startSimulator, provider });

export const CASES: PagerBenchCase[] = [
  hostCase('aliyun', 'cn-hangzhou', () => AliyunSimulator.start(), (runtime) => new AliyunProvider(runtime)),
  hostCase('tencent', 'ap-guangzhou', () => TencentSimulator.start(), (runtime) => new TencentProvider(runtime)),
];

const LATENCY_MS = 50;
const RATE = 20;

interface Run {
  pages: number;
  hosts: number;
  seconds: number;
}

async function listAll(benchCase: PagerBenchCase, simulator: CloudSimulator, requestRate: number): Promise<Run> {
  const credentials: ProviderCredentials = {
    secretId: `bench-${benchCase.vendor}-${requestRate}`,
    vendor: benchCase.vendor,
    apiKey: 'bench-key',
    apiSecret: 'bench-secret',
    address: simulator.address,
    requestRate,
  };
  const provider = benchCase.provider(new ProviderRuntime({ timeoutMs: 30_000 }));
  const started = process.hrtime.bigint();
  let pages = 0;
  let hosts = 0;
  for await (const page of provider.list(credentials, 'host', { region: benchCase.region })) {
    pages++;
    hosts += page.items.length;
  }
  return { pages, hosts, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function bench(benchCase: PagerBenchCase, hostCount: number): Promise<void> {
  const simulator = await benchCase.startSimulator();
  try {
    const account = simulator.addAccount('bench-key', 'bench-secret');
    const regions = benchCase.region ? [benchCase.region] : undefined;
    for (const host of generateHosts(benchCase.vendor, hostCount, { seed: 1, regions })) account.hosts.set(host.id, host);

    await listAll(benchCase, simulator, 100_000); // warm-up: JIT, sockets
    const fast = await listAll(benchCase, simulator, 100_000);
    console.log(
      `${benchCase.vendor.padEnd(8)} zero latency : ${fast.pages} pages, ${fast.hosts} hosts in ${fast.seconds.toFixed(2)} s` +
        ` = ${(fast.pages / fast.seconds).toFixed(0)} pages/s, ${(fast.hosts / fast.seconds).toFixed(0)} hosts/s`,
    );

    simulator.faults.set({ latencyMs: LATENCY_MS });
    const slow = await listAll(benchCase, simulator, RATE);
    const ideal = slow.pages / RATE;
    console.log(
      `${benchCase.vendor.padEnd(8)} ${LATENCY_MS} ms, ${RATE} req/s: ${slow.pages} pages in ${slow.seconds.toFixed(2)} s,` +
        ` ideal ${ideal.toFixed(2)} s (${((slow.seconds / ideal) * 100).toFixed(0)}% of ideal)`,
    );
  } finally {
    await simulator.stop();
  }
}

async function main(): Promise<void> {
  const hostCount = Number(process.argv[2] ?? 20_000);
  console.log(`pager benchmark: ${hostCount} hosts per vendor, Node ${process.version}`);
  for (const benchCase of CASES) await bench(benchCase, hostCount);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
