import { generateDatabases, generateHosts } from '../../../test/simulators/common/generator';
import type { SimDatabase, SimHost } from '../../../test/simulators/common/model';
import type { SimAccount } from '../../../test/simulators/common/simulator';
import { rdsPrivateIp, rdsPublicIp } from '../../../test/simulators/huawei/huawei-render';
import { HuaweiSimulator } from '../../../test/simulators/huawei/huawei.simulator';
import { ProviderRuntime, type CallPolicy } from '../common/provider-runtime';
import type { DatabaseRecord, HostRecord, ProviderCredentials, ResourcePage, ResourceType } from '../provider';
import { ProviderError } from '../provider-error';
import { HuaweiProvider } from './huawei.provider';

/** The real Huawei SDK against the Huawei simulator: what sync relies on, end to end. */

const REGION = 'cn-north-4';
const OTHER_REGION = 'cn-east-3';
const MAX_ATTEMPTS = 3;

describe('HuaweiProvider against the simulator', () => {
  let simulator: HuaweiSimulator;
  let accountCount = 0;

  beforeAll(async () => {
    simulator = await HuaweiSimulator.start();
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.faults.reset());

  const runtime = (overrides: Partial<CallPolicy> = {}) =>
    new ProviderRuntime({ baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000, maxAttempts: MAX_ATTEMPTS, ...overrides });

  /** A fresh account (and secret) per test, so no cache or state leaks between tests. */
  function newAccount(options: { withProjectId?: boolean } = {}) {
    const apiKey = `HWAK${++accountCount}`;
    const apiSecret = `hw-secret-${accountCount}-do-not-print`;
    const account = simulator.addAccount(apiKey, apiSecret);
    const credentials: ProviderCredentials = {
      secretId: `secret-${accountCount}`,
      vendor: 'huawei',
      apiKey,
      apiSecret,
      address: simulator.address,
      requestRate: 1000,
      projectIds: options.withProjectId === false ? null : { [REGION]: simulator.projectId(apiKey, REGION) },
    };
    return { account, credentials };
  }

  function seedHosts(account: SimAccount, count: number, region = REGION, startIndex = 0): SimHost[] {
    const hosts = generateHosts('huawei', count, { seed: accountCount, regions: [region], startIndex });
    for (const host of hosts) account.hosts.set(host.id, host);
    return hosts;
  }

  function seedDatabases(account: SimAccount, count: number, region = REGION, startIndex = 0): SimDatabase[] {
    const databases = generateDatabases('huawei', count, { seed: accountCount, regions: [region], startIndex });
    for (const db of databases) account.databases.set(db.id, db);
    return databases;
  }

  async function collect(provider: HuaweiProvider, credentials: ProviderCredentials, type: ResourceType, pages: ResourcePage[] = []) {
    for await (const page of provider.list(credentials, type, { region: REGION })) pages.push(page);
    return pages;
  }

  async function failure(promise: Promise<unknown>): Promise<ProviderError> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(ProviderError);
      return error as ProviderError;
    }
    throw new Error('expected the call to fail');
  }

  describe('listing', () => {
    it('returns every server of the region exactly once over many 1000-server pages, fields normalised', async () => {
      const { account, credentials } = newAccount();
      const truth = seedHosts(account, 3_456);
      seedHosts(account, 300, OTHER_REGION, 10_000);

      const pages = await collect(new HuaweiProvider(runtime()), credentials, 'host');

      expect(pages.map((page) => page.items.length)).toEqual([1000, 1000, 1000, 456]);
      expect(pages.map((page) => page.pageNumber)).toEqual([1, 2, 3, 4]);
      expect(pages.every((page) => page.rejected.length === 0 && page.total === truth.length)).toBe(true);
      const records = pages.flatMap((page) => page.items) as HostRecord[];
      expect(new Set(records.map((record) => record.instanceId)).size).toBe(truth.length);
      const byId = new Map(records.map((record) => [record.instanceId, record]));
      for (const host of truth) expect(hostFields(byId.get(host.id))).toEqual(expectedHost(host));
    });

    it('maps the vendor status words into the shared vocabulary', async () => {
      const { account, credentials } = newAccount();
      const truth = seedHosts(account, 1_500);
      const records = (await collect(new HuaweiProvider(runtime()), credentials, 'host')).flatMap((page) => page.items);
      const statusOf = new Map(records.map((record) => [record.rawStatus, record.status]));
      expect(statusOf.get('ACTIVE')).toBe('running');
      expect(statusOf.get('SHUTOFF')).toBe('stopped');
      expect(statusOf.get('BUILD')).toBe('pending');
      expect(statusOf.get('REBOOT')).toBe('rebooting');
      // Every word the vendor uses is known: only its own UNKNOWN maps to unknown.
      const unmapped = records.filter((record) => record.status === 'unknown').map((record) => record.rawStatus);
      expect(new Set(unmapped)).toEqual(new Set(truth.some((host) => host.rawStatus === 'UNKNOWN') ? ['UNKNOWN'] : []));
    });

    it('returns every RDS instance exactly once over 100-instance pages, fields normalised', async () => {
      const { account, credentials } = newAccount();
      const truth = seedDatabases(account, 1_234);
      seedDatabases(account, 50, OTHER_REGION, 10_000);

      const pages = await collect(new HuaweiProvider(runtime()), credentials, 'rds');

      expect(pages).toHaveLength(13);
      expect(pages[12].items).toHaveLength(34);
      const records = pages.flatMap((page) => page.items) as DatabaseRecord[];
      expect(new Set(records.map((record) => record.instanceId)).size).toBe(truth.length);
      const byId = new Map(records.map((record) => [record.instanceId, record]));
      for (const db of truth) expect(databaseFields(byId.get(db.id))).toEqual(expectedDatabase(db));
      expect(records.find((record) => record.rawStatus === 'ACTIVE')?.status).toBe('running');
    });

    it('refuses a scope without a region', async () => {
      const { credentials } = newAccount();
      const listing = new HuaweiProvider(runtime()).list(credentials, 'host', { region: null });
      const error = await failure((async () => {
        for await (const page of listing) void page;
      })());
      expect(error).toMatchObject({ code: 'RegionRequired', retryable: false });
      expect(simulator.faults.requestCount).toBe(0);
    });
  });

  describe('project id', () => {
    it('is looked up through IAM once per secret and region when the secret has none', async () => {
      const { account, credentials } = newAccount({ withProjectId: false });
      seedHosts(account, 2_100);
      seedDatabases(account, 150);
      const provider = new HuaweiProvider(runtime());
      const iamBefore = simulator.iamCalls;

      const [hosts, databases] = await Promise.all([collect(provider, credentials, 'host'), collect(provider, credentials, 'rds')]);
      await collect(provider, credentials, 'host');
      await provider.verify(credentials, REGION);

      expect(hosts.flatMap((page) => page.items)).toHaveLength(2_100);
      expect(databases.flatMap((page) => page.items)).toHaveLength(150);
      expect(simulator.iamCalls - iamBefore).toBe(1);
    });

    it('is taken from the secret without asking IAM', async () => {
      const { account, credentials } = newAccount();
      seedHosts(account, 10);
      const iamBefore = simulator.iamCalls;
      await new HuaweiProvider(runtime()).verify(credentials, REGION);
      expect(simulator.iamCalls).toBe(iamBefore);
    });

    it("rejects another account's project id without retrying", async () => {
      const { credentials } = newAccount();
      const other = newAccount();
      const foreign = { ...credentials, projectIds: { [REGION]: other.credentials.projectIds![REGION] } };
      const error = await failure(new HuaweiProvider(runtime()).verify(foreign, REGION));
      expect(error).toMatchObject({ httpStatus: 403, retryable: false });
      expect(simulator.faults.requestCount).toBe(1);
    });
  });

  describe('credentials', () => {
    it('verifies a good secret with one call', async () => {
      const { account, credentials } = newAccount();
      seedHosts(account, 5);
      await new HuaweiProvider(runtime()).verify(credentials, REGION);
      expect(simulator.faults.requestCount).toBe(1);
    });

    it("rejects a wrong secret with the vendor's code, once, and never echoes the secret", async () => {
      const { credentials } = newAccount();
      const wrong = { ...credentials, apiSecret: 'not-the-secret-at-all' };
      const error = await failure(new HuaweiProvider(runtime()).verify(wrong, REGION));
      expect(error).toMatchObject({ vendor: 'huawei', code: 'APIGW.0301', httpStatus: 401, retryable: false });
      expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(simulator.faults.requestCount).toBe(1);
      expect(JSON.stringify(error) + error.message + error.stack).not.toMatch(/not-the-secret-at-all|SDK-HMAC-SHA256|Signature=/);
    });

    it('rejects an unknown access key the same way', async () => {
      const { credentials } = newAccount();
      const error = await failure(new HuaweiProvider(runtime()).verify({ ...credentials, apiKey: 'NO-SUCH-KEY' }, REGION));
      expect(error).toMatchObject({ code: 'APIGW.0301', httpStatus: 401, retryable: false });
    });
  });

  describe('faults', () => {
    it('rides out throttling and completes the listing', async () => {
      const { account, credentials } = newAccount();
      const truth = seedHosts(account, 2_500);
      simulator.faults.set({ throttleNext: 2 });

      const records = (await collect(new HuaweiProvider(runtime()), credentials, 'host')).flatMap((page) => page.items);

      expect(new Set(records.map((record) => record.instanceId))).toEqual(new Set(truth.map((host) => host.id)));
      expect(simulator.faults.requestCount).toBe(3 + 2);
    });

    it('reports throttling as a retryable APIGW.0308', async () => {
      const { credentials } = newAccount();
      simulator.faults.set({ throttleNext: 1 });
      const error = await failure(new HuaweiProvider(runtime({ maxAttempts: 1 })).verify(credentials, REGION));
      expect(error).toMatchObject({ code: 'APIGW.0308', httpStatus: 429, retryable: true });
    });

    it('fails with a retryable error after bounded attempts when a page keeps answering 5xx', async () => {
      const { account, credentials } = newAccount();
      seedHosts(account, 1_500);
      simulator.faults.set({ failPage: { page: 2, kind: 'server-error' } });
      const pages: ResourcePage[] = [];

      const error = await failure(collect(new HuaweiProvider(runtime()), credentials, 'host', pages));

      expect(error).toMatchObject({ code: 'Ecs.0005', httpStatus: 500, retryable: true });
      expect(pages.map((page) => page.pageNumber)).toEqual([1]);
      expect(simulator.faults.requestCount).toBe(1 + MAX_ATTEMPTS);
    });

    it("reports RDS server errors in RDS's own shape", async () => {
      const { account, credentials } = newAccount();
      seedDatabases(account, 150);
      simulator.faults.set({ failPage: { page: 2, kind: 'server-error' } });
      const error = await failure(collect(new HuaweiProvider(runtime()), credentials, 'rds'));
      expect(error).toMatchObject({ code: 'DBS.200047', httpStatus: 500, retryable: true });
    });

    it('turns a body that is not JSON into a typed error', async () => {
      const { account, credentials } = newAccount();
      seedHosts(account, 10);
      simulator.faults.set({ failPage: { page: 1, kind: 'malformed' } });
      const error = await failure(collect(new HuaweiProvider(runtime()), credentials, 'host'));
      expect(error).toMatchObject({ vendor: 'huawei', code: 'InvalidResponse' });
      expect(simulator.faults.requestCount).toBe(MAX_ATTEMPTS);
    });

    it('recovers when a malformed body happens once', async () => {
      const { account, credentials } = newAccount();
      seedDatabases(account, 120);
      simulator.faults.set({ failPage: { page: 2, kind: 'malformed', times: 1 } });
      const records = (await collect(new HuaweiProvider(runtime()), credentials, 'rds')).flatMap((page) => page.items);
      expect(records).toHaveLength(120);
    });

    it('gives up on a page that never answers with a Timeout', async () => {
      const { account, credentials } = newAccount();
      seedHosts(account, 1_500);
      simulator.faults.set({ hangPage: 2 });
      const error = await failure(collect(new HuaweiProvider(runtime({ timeoutMs: 300, maxAttempts: 2 })), credentials, 'host'));
      expect(error).toMatchObject({ code: 'Timeout', retryable: true });
    });

    it('reports an instance removed between pages as an inconsistent listing', async () => {
      const { account, credentials } = newAccount();
      const truth = seedHosts(account, 2_500);
      simulator.faults.set({ mutateBeforePage: { page: 2, mutate: () => account.hosts.delete(truth[0].id) } });
      const pages: ResourcePage[] = [];

      const error = await failure(collect(new HuaweiProvider(runtime()), credentials, 'host', pages));

      expect(error).toMatchObject({ code: 'InconsistentListing', retryable: false });
      expect(pages).toHaveLength(3);
    });
  });

  describe('SDK logging', () => {
    it('writes nothing of the signed request to stdout when calls fail', async () => {
      const { account, credentials } = newAccount();
      seedHosts(account, 1_500);
      const written: string[] = [];
      const original = process.stdout.write.bind(process.stdout);
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof process.stdout.write);
      try {
        const provider = new HuaweiProvider(runtime());
        await failure(provider.verify({ ...credentials, apiSecret: 'wrong-secret' }, REGION));
        simulator.faults.set({ failPage: { page: 2, kind: 'server-error' } });
        await failure(collect(provider, credentials, 'host'));
      } finally {
        spy.mockRestore();
      }
      expect(simulator.faults.requestCount).toBeGreaterThan(2);
      expect(written.join('')).not.toMatch(/Authorization|SDK-HMAC-SHA256|Signature=|X-Sdk-Date|do-not-print|wrong-secret/i);
    });
  });
});

const HOST_FIELDS = [
  'instanceId', 'name', 'region', 'zone', 'rawStatus', 'chargeType', 'createdAt', 'expireAt', 'privateIps', 'publicIps',
  'vpcId', 'subnetId', 'tags', 'hostname', 'instanceType', 'cpu', 'memoryMib', 'osName', 'osType', 'imageId', 'securityGroups',
] as const;

function hostFields(record: HostRecord | undefined) {
  if (!record) return undefined;
  return Object.fromEntries(HOST_FIELDS.map((field) => [field, record[field]]));
}

function expectedHost(host: SimHost) {
  return {
    instanceId: host.id,
    name: host.name,
    region: host.region,
    zone: host.zone,
    rawStatus: host.rawStatus,
    chargeType: host.chargeType,
    createdAt: host.createdAt,
    expireAt: host.expireAt,
    privateIps: host.privateIps,
    publicIps: host.publicIps,
    vpcId: host.vpcId,
    subnetId: host.subnetId,
    tags: host.tags,
    hostname: host.hostname,
    instanceType: host.instanceType,
    cpu: host.cpu,
    memoryMib: host.memoryMib,
    osName: host.osName,
    osType: host.osType,
    imageId: host.imageId,
    securityGroups: host.securityGroups,
  };
}

const DATABASE_FIELDS = [
  'instanceId', 'name', 'region', 'zone', 'rawStatus', 'chargeType', 'createdAt', 'expireAt', 'privateIps', 'publicIps',
  'vpcId', 'subnetId', 'tags', 'engine', 'engineVersion', 'instanceClass', 'cpu', 'memoryMib', 'storageGb', 'port',
  'privateEndpoints', 'publicEndpoints',
] as const;

function databaseFields(record: DatabaseRecord | undefined) {
  if (!record) return undefined;
  return Object.fromEntries(DATABASE_FIELDS.map((field) => [field, record[field]]));
}

function expectedDatabase(db: SimDatabase) {
  const publicIps = db.publicEndpoint ? [rdsPublicIp(db)] : [];
  return {
    instanceId: db.id,
    name: db.name,
    region: db.region,
    zone: db.zone,
    rawStatus: db.rawStatus,
    chargeType: db.chargeType,
    createdAt: db.createdAt,
    expireAt: db.expireAt,
    privateIps: [rdsPrivateIp(db)],
    publicIps,
    vpcId: db.vpcId,
    subnetId: db.subnetId,
    tags: db.tags,
    engine: db.engine,
    engineVersion: db.engineVersion,
    instanceClass: db.instanceClass,
    cpu: db.cpu,
    memoryMib: db.memoryMib,
    storageGb: db.storageGb,
    port: db.port,
    // RDS lists the private DNS name beside the IPs; public access is an EIP.
    privateEndpoints: [db.privateEndpoint, rdsPrivateIp(db)],
    publicEndpoints: publicIps,
  };
}
