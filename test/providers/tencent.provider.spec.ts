import type { DatabaseRecord, HostRecord } from '../../src/providers/provider';
import { ProviderError } from '../../src/providers/provider-error';
import { TencentProvider } from '../../src/providers/tencent/tencent.provider';
import { generateDatabases } from '../simulators/common/generator';
import type { SimDatabase, SimHost } from '../simulators/common/model';
import type { SimAccount } from '../simulators/common/simulator';
import { TencentSimulator } from '../simulators/tencent/tencent-simulator';
import { countPageRequests, credentialsFor, drain, seedRegion, testRuntime } from './listing-harness';

const KEY = 'AKIDTencentTestSecretId';
const SECRET = 'tencent-secret-key-never-logged';
const REGION = 'ap-guangzhou';

const CVM_STATUS: Record<string, string> = {
  PENDING: 'pending',
  LAUNCH_FAILED: 'error',
  RUNNING: 'running',
  STOPPED: 'stopped',
  STARTING: 'starting',
  STOPPING: 'stopping',
  REBOOTING: 'rebooting',
  SHUTDOWN: 'stopped',
  TERMINATING: 'deleting',
};
const CDB_STATUS: Record<string, string> = { '0': 'pending', '1': 'running', '4': 'deleting', '5': 'stopped' };

function expectHost(record: HostRecord, truth: SimHost): void {
  expect(record).toMatchObject({
    instanceId: truth.id,
    name: truth.name,
    region: truth.region,
    zone: truth.zone,
    rawStatus: truth.rawStatus,
    status: CVM_STATUS[truth.rawStatus],
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
  expect(record.tags).toEqual(truth.tags);
}

function expectDatabase(record: DatabaseRecord, truth: SimDatabase): void {
  expect(record).toMatchObject({
    instanceId: truth.id,
    name: truth.name,
    region: truth.region,
    zone: truth.zone,
    rawStatus: truth.rawStatus,
    status: CDB_STATUS[truth.rawStatus],
    engine: truth.engine,
    engineVersion: truth.engineVersion,
    instanceClass: truth.instanceClass,
    cpu: truth.cpu,
    memoryMib: truth.memoryMib,
    storageGb: truth.storageGb,
    port: truth.port,
    chargeType: truth.chargeType,
    createdAt: truth.createdAt,
    expireAt: truth.expireAt,
    vpcId: truth.vpcId,
    subnetId: truth.subnetId,
    privateEndpoints: [truth.privateEndpoint],
    publicEndpoints: truth.publicEndpoint ? [truth.publicEndpoint] : [],
  });
  expect(record.tags).toEqual(truth.tags);
}

describe('TencentProvider against the Tencent simulator (real tencentcloud SDK)', () => {
  let simulator: TencentSimulator;
  let account: SimAccount;
  let hosts: SimHost[];
  const provider = () => new TencentProvider(testRuntime());

  beforeAll(async () => {
    simulator = await TencentSimulator.start();
  });
  afterAll(() => simulator.stop());

  beforeEach(() => {
    simulator.faults.reset();
    account = simulator.addAccount(KEY, SECRET);
    // Another region's hosts must not leak into the listing.
    hosts = seedRegion(account, 'tencent', { seed: 202, count: 2345, region: REGION, otherRegion: 'ap-shanghai' });
  });

  it('lists every CVM instance of the region exactly once over many pages, GiB turned into MiB', async () => {
    const { pages, items, error } = await drain<HostRecord>(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeNull();
    expect(pages.map((page) => page.pageNumber)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(pages.flatMap((page) => page.rejected)).toEqual([]);
    expect(items.map((item) => item.instanceId).sort()).toEqual(hosts.map((host) => host.id).sort());
    const truth = new Map(hosts.map((host) => [host.id, host]));
    for (const item of items) expectHost(item, truth.get(item.instanceId)!);
    expect(new Set(items.map((item) => item.chargeType))).toEqual(new Set(['prepaid', 'postpaid', 'spot']));
    expect(JSON.stringify(items)).not.toContain(SECRET);
  });

  it('lists CDB instances over pages of 2000, Beijing times turned into UTC', async () => {
    const databases = generateDatabases('tencent', 4500, { seed: 6, regions: [REGION] });
    for (const db of databases) account.databases.set(db.id, db);
    const { pages, items, error } = await drain<DatabaseRecord>(provider().list(credentialsFor(simulator, KEY, SECRET), 'rds', { region: REGION }));
    expect(error).toBeNull();
    expect(pages).toHaveLength(3);
    expect(items.map((item) => item.instanceId).sort()).toEqual(databases.map((db) => db.id).sort());
    const truth = new Map(databases.map((db) => [db.id, db]));
    for (const item of items) expectDatabase(item, truth.get(item.instanceId)!);
  });

  it('rejects a wrong secret key with AuthFailure.SignatureFailure, without retrying', async () => {
    const error = await provider().verify(credentialsFor(simulator, KEY, 'not-the-key'), REGION).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ vendor: 'tencent', code: 'AuthFailure.SignatureFailure', retryable: false });
    expect((error as ProviderError).requestId).toBeTruthy();
    expect((error as ProviderError).message).not.toContain('not-the-key');
    expect(simulator.faults.requestCount).toBe(1);
  });

  it('rejects an unknown SecretId with AuthFailure.SecretIdNotFound, without retrying', async () => {
    const error = await provider().verify(credentialsFor(simulator, 'AKID-unknown', SECRET), REGION).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AuthFailure.SecretIdNotFound', retryable: false });
    expect(simulator.faults.requestCount).toBe(1);
  });

  it('verifies good credentials with one call', async () => {
    await expect(provider().verify(credentialsFor(simulator, KEY, SECRET), REGION)).resolves.toBeUndefined();
    expect(simulator.faults.requestCount).toBe(1);
  });

  it('rides out RequestLimitExceeded and completes the listing', async () => {
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
    expect(error).toMatchObject({ code: 'InternalError', retryable: true });
    expect(page2Requests()).toBe(4);
    expect(pages.map((page) => page.pageNumber)).toEqual([1]);
  });

  it('turns a non-JSON body into a typed InvalidResponse error', async () => {
    simulator.faults.set({ failPage: { page: 1, kind: 'malformed' } });
    const { error } = await drain(provider().list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'InvalidResponse' });
  });

  it('times out a page that never answers', async () => {
    simulator.faults.set({ hangPage: 2 });
    const runtime = testRuntime({ timeoutMs: 300, maxAttempts: 2 });
    const { error } = await drain(new TencentProvider(runtime).list(credentialsFor(simulator, KEY, SECRET), 'host', { region: REGION }));
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
});
