import { ProviderRuntime } from '../../src/providers/common/provider-runtime';
import type { ProviderCredentials, ResourcePage, ResourceRecord, Vendor } from '../../src/providers/provider';
import { generateHosts } from '../simulators/common/generator';
import type { SimHost } from '../simulators/common/model';
import type { CloudSimulator, SimAccount } from '../simulators/common/simulator';

/** A quick policy for tests: small backoff, short timeout, few attempts. */
export function testRuntime(overrides: Partial<ProviderRuntime['policy']> = {}): ProviderRuntime {
  return new ProviderRuntime({ baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000, maxAttempts: 4, ...overrides });
}

let secretCounter = 0;

/** Credentials that reach the simulator; each call gets its own secret id (its own rate limiter). */
export function credentialsFor(simulator: CloudSimulator, apiKey: string, apiSecret: string): ProviderCredentials {
  return {
    secretId: `secret-${++secretCounter}`,
    vendor: simulator.vendor as Vendor,
    apiKey,
    apiSecret,
    address: simulator.address,
    requestRate: 1000,
  };
}

export interface Drained<T extends ResourceRecord = ResourceRecord> {
  pages: ResourcePage<T>[];
  items: T[];
  error: unknown;
}

/** Reads a listing to its end or its error, keeping what was yielded before the error. */
export async function drain<T extends ResourceRecord>(listing: AsyncIterable<ResourcePage>): Promise<Drained<T>> {
  const pages: ResourcePage<T>[] = [];
  try {
    for await (const page of listing) pages.push(page as ResourcePage<T>);
    return { pages, items: pages.flatMap((page) => page.items), error: null };
  } catch (error) {
    return { pages, items: pages.flatMap((page) => page.items), error };
  }
}

/** Counts how often the simulator was asked for one page (fault bookkeeping is per 1-based page). */
export function countPageRequests(simulator: CloudSimulator, page: number): () => number {
  const original = simulator.faults.beforePage.bind(simulator.faults);
  let count = 0;
  simulator.faults.beforePage = (asked: number) => {
    if (asked === page) count++;
    return original(asked);
  };
  return () => count;
}

/**
 * Resets an account to `count` generated hosts in `region`, plus 150 in
 * `otherRegion` that must not leak into the region's listing. Answers the
 * region's hosts (the truth a listing is checked against).
 */
export function seedRegion(account: SimAccount, vendor: Vendor, options: { seed: number; count: number; region: string; otherRegion: string }): SimHost[] {
  account.hosts.clear();
  account.databases.clear();
  const hosts = generateHosts(vendor, options.count, { seed: options.seed, regions: [options.region] });
  for (const host of hosts) account.hosts.set(host.id, host);
  for (const host of generateHosts(vendor, 150, { seed: options.seed, regions: [options.otherRegion], startIndex: 10_000 })) {
    account.hosts.set(host.id, host);
  }
  return hosts;
}
