import { AliyunProvider } from '../../src/providers/aliyun/aliyun.provider';
import type { DatabaseRecord, HostRecord } from '../../src/providers/provider';
import { ProviderError } from '../../src/providers/provider-error';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateDatabases } from '../simulators/common/generator';
import type { SimAccount } from '../simulators/common/simulator';
import type { SimDatabase, SimHost } from '../simulators/common/model';
import { countPageRequests, credentialsFor, drain, seedRegion, testRuntime } from './listing-harness';

const KEY = 'LTAI5tAliyunTestKey';
const SECRET = 'aliyun-secret-value-never-logged';
const REGION = 'cn-hangzhou';

const ECS_STATUS: Record<string, string> = {
  Running: 'running',
  Stopped: 'stopped',
  Starting: 'starting',
  Stopping: 'stopping',
  Pending: 'pending',
};

function expectHost(record: HostRecord, truth: SimHost): void {
  expect({
    name: record.name,
    hostname: record.hostname,
    region: record.region,
    zone: record.zone,
    rawStatus: record.rawStatus,
    status: record.status,
    chargeType: record.chargeType,
    createdAt: record.createdAt,
    expireAt: record.expireAt,
    privateIps: record.privateIps,
    publicIps: record.publicIps,
    vpcId: record.vpcId,
    subnetId: record.subnetId,
    tags: record.tags,
    instanceType: record.instanceType,
    cpu: record.cpu,
    memoryMib: record.memoryMib,
    osName: record.osName,
    osType: record.osType,
    imageId: record.imageId,
    securityGroups: record.securityGroups,
  }).toEqual({
    name: truth.name,
    hostname: truth.hostname,
    region: truth.region,
    zone: truth.zone,
    rawStatus: truth.rawStatus,
    status: ECS_STATUS[truth.rawStatus],
    chargeType: truth.chargeType,
    createdAt: truth.createdAt,
    expireAt: truth.expireAt,
    privateIps: truth.privateIps,
    publicIps: truth.publicIps,
    vpcId: truth.vpcId,
    subnetId: truth.subnetId,
    tags: truth.tags,
    instanceType: truth.instanceType,
    cpu: truth.cpu,
    memoryMib: truth.memoryMib,
    osName: truth.osName,
    osType: truth.osType,
    imageId: truth.imageId,
    securityGroups: truth.securityGroups,
  });
}

/** What the RDS list call carries (storage, port and tags come from other calls). */
function expectDatabase(record: DatabaseRecord, truth: SimDatabase): void {
  expect(record).toMatchObject({
    instanceId: truth.id,
    name: truth.name,
    region: truth.region,
    zone: truth.zone,
    rawStatus: truth.rawStatus,
    engine: truth.engine,
    engineVersion: truth.engineVersion,
    instanceClass: truth.instanceClass,
    cpu: truth.cpu,
    memoryMib: truth.memoryMib,
    chargeType: truth.chargeType,
    createdAt: truth.createdAt,
    expireAt: truth.expireAt,
    vpcId: truth.vpcId,
    subnetId: truth.subnetId,
    privateEndpoints: [truth.privateEndpoint],
  });
}

describe('AliyunProvider against the Aliyun simulator (real pop-core SDK)', () => {
  let simulator: AliyunSimulator;
  let account: SimAccount;
  let hosts: SimHost[];
  const provider = () => new AliyunProvider(testRuntime());

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
  });
  afterAll(() => simulator.stop());

  beforeEach(() => {
    simulator.faults.reset();
    account = simulator.addAccount(KEY, SECRET);
    // Another region's hosts must not leak into the listing.
    hosts = seedRegion(account, 'aliyun', { seed: 101, count: 2345, region: REGION, otherRegion: 'cn-beijing' });
  });

  it('lists every host of the region exactly once over many pages, fields normalised', async () => {
    const { pages, items, error } = await drain<HostRecord>(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeNull();
    expect(pages.map((page) => page.pageNumber)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(pages.flatMap((page) => page.rejected)).toEqual([]);
    expect(items.map((item) => item.instanceId).sort()).toEqual(hosts.map((host) => host.id).sort());
    const truth = new Map(hosts.map((host) => [host.id, host]));
    for (const item of items) expectHost(item, truth.get(item.instanceId)!);
    expect(JSON.stringify(items)).not.toContain(SECRET);
  });

  it('sees the three charge types and both public address shapes (EIP and fixed public IP)', async () => {
    const { items } = await drain<HostRecord>(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(new Set(items.map((item) => item.chargeType))).toEqual(new Set(['prepaid', 'postpaid', 'spot']));
    const withPublic = items.filter((item) => item.publicIps.length > 0);
    expect(withPublic.some((item) => (item.raw.EipAddress as { IpAddress: string }).IpAddress !== '')).toBe(true);
    expect(withPublic.some((item) => (item.raw.PublicIpAddress as { IpAddress: string[] }).IpAddress.length > 0)).toBe(true);
  });

  it('lists RDS instances over pages with their list-call fields', async () => {
    const databases = generateDatabases('aliyun', 250, { seed: 5, regions: [REGION] });
    for (const db of databases) account.databases.set(db.id, db);
    const { pages, items, error } = await drain<DatabaseRecord>(provider().list(credentialsFor(simulator, KEY, SECRET), 'rds', { region: REGION }));
    expect(error).toBeNull();
    expect(pages).toHaveLength(3);
    expect(items.map((item) => item.instanceId).sort()).toEqual(databases.map((db) => db.id).sort());
    const truth = new Map(databases.map((db) => [db.id, db]));
    for (const item of items) expectDatabase(item, truth.get(item.instanceId)!);
  });

  it('rejects a wrong secret with SignatureDoesNotMatch, without retrying', async () => {
    const error = await provider().verify(credentialsFor(simulator, KEY, 'not-the-secret'), REGION).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ vendor: 'aliyun', code: 'SignatureDoesNotMatch', retryable: false, httpStatus: 400 });
    expect((error as ProviderError).requestId).toBeTruthy();
    expect((error as ProviderError).message).not.toContain('not-the-secret');
    expect(simulator.faults.requestCount).toBe(1);
  });

  it('rejects an unknown access key with InvalidAccessKeyId.NotFound, without retrying', async () => {
    const error = await provider().verify(credentialsFor(simulator, 'LTAI-unknown', SECRET), REGION).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', retryable: false, httpStatus: 404 });
    expect(simulator.faults.requestCount).toBe(1);
  });

  it('verifies good credentials with one call', async () => {
    await expect(provider().verify(credentialsFor(simulator, KEY, SECRET), REGION)).resolves.toBeUndefined();
    expect(simulator.faults.requestCount).toBe(1);
  });

  it('rides out throttling and completes the listing', async () => {
    simulator.faults.set({ throttleNext: 3 });
    const { items, error } = await drain(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeNull();
    expect(items).toHaveLength(hosts.length);
    expect(simulator.faults.requestCount).toBe(24 + 3);
  });

  it('fails a persistently failing page with a retryable InternalError after the bounded attempts', async () => {
    const page2Requests = countPageRequests(simulator, 2);
    simulator.faults.set({ failPage: { page: 2, kind: 'server-error' } });
    const { pages, error } = await drain(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'InternalError', retryable: true, httpStatus: 500 });
    expect(page2Requests()).toBe(4);
    expect(pages.map((page) => page.pageNumber)).toEqual([1]);
  });

  it('turns a non-JSON body into a typed InvalidResponse error', async () => {
    simulator.faults.set({ failPage: { page: 1, kind: 'malformed' } });
    const { error } = await drain(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'InvalidResponse' });
    expect((error as Error).message).not.toContain('Bad Gateway');
  });

  it('recovers from one malformed answer', async () => {
    simulator.faults.set({ failPage: { page: 3, kind: 'malformed', times: 1 } });
    const { items, error } = await drain(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeNull();
    expect(items).toHaveLength(hosts.length);
  });

  it('times out a page that never answers', async () => {
    simulator.faults.set({ hangPage: 2 });
    const runtime = testRuntime({ timeoutMs: 300, maxAttempts: 2 });
    const { error } = await drain(new AliyunProvider(runtime).list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'Timeout', retryable: true });
  });

  it('reports an inconsistent listing when an instance disappears between pages, after yielding what it got', async () => {
    simulator.faults.set({ mutateBeforePage: { page: 3, mutate: () => account.hosts.delete(hosts[0].id) } });
    const { pages, items, error } = await drain(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'InconsistentListing', retryable: false });
    expect(pages.length).toBeGreaterThan(1);
    expect(items.length).toBeGreaterThan(0);
  });

  it('needs a region', () => {
    expect(() => provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: null })).toThrow(ProviderError);
  });
});
