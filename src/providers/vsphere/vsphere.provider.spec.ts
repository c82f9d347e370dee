import { uuidFor, generateHosts } from '../../../test/simulators/common/generator';
import type { SimHost } from '../../../test/simulators/common/model';
import { createTestPki } from '../../../test/simulators/vsphere/certificates';
import { VsphereSimulator } from '../../../test/simulators/vsphere/vsphere-simulator';
import { ProviderRuntime } from '../common/provider-runtime';
import type { HostRecord, ProviderCredentials, ResourcePage } from '../provider';
import { ProviderError } from '../provider-error';
import { VsphereProvider } from './vsphere.provider';

const USER = 'administrator@vsphere.local';
/** XML metacharacters on purpose: a password that is not escaped breaks Login. */
const PASSWORD = 'S3cr3t-<&>"\'-pass';
const DATACENTERS = ['DC-Beijing', 'DC-Shanghai', 'DC-Shenzhen', 'DC-Hangzhou'];
const MAX_OBJECTS = 250;
const MAX_ATTEMPTS = 3;

const errors: unknown[] = [];
let sim: VsphereSimulator;
let hosts: SimHost[];
let runtime: ProviderRuntime;
let provider: VsphereProvider;

const credentials = (overrides: Partial<ProviderCredentials> = {}): ProviderCredentials => ({
  secretId: 'vcenter-1',
  vendor: 'vsphere',
  apiKey: USER,
  apiSecret: PASSWORD,
  address: sim.address,
  requestRate: 1000,
  tls: { ca: sim.caPem },
  ...overrides,
});

async function listAll(target: VsphereProvider = provider, creds = credentials()): Promise<ResourcePage<HostRecord>[]> {
  const pages: ResourcePage<HostRecord>[] = [];
  for await (const page of target.list(creds, 'host', { region: null })) pages.push(page as ResourcePage<HostRecord>);
  return pages;
}

/** Runs a listing expected to fail, and keeps its error for the credential-leak check. */
async function listingError(target: VsphereProvider = provider, creds = credentials()): Promise<ProviderError> {
  try {
    await listAll(target, creds);
  } catch (error) {
    errors.push(error);
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('the listing did not fail');
}

const POWER: Record<string, HostRecord['status']> = { poweredOn: 'running', poweredOff: 'stopped', suspended: 'stopped' };

/** What a VM must look like once normalised: vCenter only reports guest details while the VM runs. */
function expected(host: SimHost): Partial<HostRecord> {
  const running = host.rawStatus === 'poweredOn';
  return {
    vendor: 'vsphere',
    instanceId: uuidFor(host.id),
    name: host.name,
    region: host.datacenter,
    status: POWER[host.rawStatus],
    rawStatus: host.rawStatus,
    hostname: running ? host.hostname : null,
    cpu: host.cpu,
    memoryMib: host.memoryMib,
    osName: host.osName,
    osType: host.osType,
    privateIps: running ? host.privateIps : [],
    publicIps: [],
    createdAt: host.createdAt,
    chargeType: null,
  };
}

beforeAll(async () => {
  expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  sim = await VsphereSimulator.start();
  sim.addAccount(USER, PASSWORD);
  hosts = generateHosts('vsphere', 3000, { seed: 7, regions: DATACENTERS });
  // A name with XML metacharacters and the characters vSphere escapes in names (%, /, \).
  hosts[0] = { ...hosts[0], name: 'web/01 <db & cache> 100%2f \\ "quoted"' };
  sim.load(USER, hosts);
  sim.addDatacenter(USER, 'DC-Empty');
  runtime = new ProviderRuntime({ baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000, maxAttempts: MAX_ATTEMPTS });
  provider = new VsphereProvider(runtime, { maxObjects: MAX_OBJECTS });
});

afterEach(() => {
  sim.faults.reset();
  sim.templates.clear();
});

afterAll(async () => {
  provider.dispose();
  await sim.stop();
  expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
});

describe('VsphereProvider listing', () => {
  it('returns every VM of every datacenter exactly once, normalised, over many pages', async () => {
    const templates = hosts.slice(10, 15).map((host) => host.id);
    for (const id of templates) sim.templates.add(id);

    const pages = await listAll();

    expect(pages.map((page) => page.pageNumber)).toEqual(pages.map((_, index) => index + 1));
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(hosts.length / MAX_OBJECTS));
    expect(sim.callCount('ContinueRetrievePropertiesEx')).toBeGreaterThan(0);
    for (const page of pages) {
      expect(page.items.length).toBeLessThanOrEqual(MAX_OBJECTS);
      expect(page.rejected).toEqual([]);
      expect(page.total).toBeUndefined();
    }
    const records = pages.flatMap((page) => page.items);
    const byId = new Map(records.map((record) => [record.instanceId, record]));
    expect(byId.size).toBe(records.length); // no VM twice
    const listed = hosts.filter((host) => !templates.includes(host.id));
    expect(records).toHaveLength(listed.length);
    for (const host of listed) expect(byId.get(uuidFor(host.id))).toMatchObject(expected(host));
    for (const id of templates) expect(byId.has(uuidFor(id))).toBe(false);
    expect(new Set(records.map((record) => record.region))).toEqual(new Set(DATACENTERS));
  });

  it('stamps each page with the time it was requested, in order', async () => {
    const before = new Date();
    const pages = await listAll();
    const times = pages.map((page) => page.queryAt.getTime());
    expect(times[0]).toBeGreaterThanOrEqual(before.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('keeps the raw VM payload without any credential', async () => {
    const pages = await listAll();
    const record = pages.flatMap((page) => page.items)[0];
    expect(record.raw).toMatchObject({ moRef: expect.stringMatching(/^vm-/), 'runtime.powerState': record.rawStatus });
    const everything = JSON.stringify(pages);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('vmware_soap_session');
  });

  it('logs out and destroys its views after a listing, and after a listing abandoned midway', async () => {
    await listAll();
    expect(sim.openSessions).toBe(0);
    expect(sim.openViews).toBe(0);

    let pagesRead = 0;
    for await (const page of provider.list(credentials(), 'host', { region: null })) {
      pagesRead++;
      if (page.items.length > 0) break;
    }
    expect(pagesRead).toBeLessThan(3);
    expect(sim.openSessions).toBe(0);
    expect(sim.openViews).toBe(0);
  });

  it('stops when the caller cancels, and still logs out', async () => {
    const controller = new AbortController();
    const consume = async () => {
      for await (const page of provider.list(credentials(), 'host', { region: null, signal: controller.signal })) {
        if (page.items.length > 0) controller.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'Aborted', retryable: false });
    expect(sim.openSessions).toBe(0);
    expect(sim.openViews).toBe(0);
  });

  it('gives up with InconsistentListing past its page bound instead of paging forever', async () => {
    const bounded = new VsphereProvider(runtime, { maxObjects: MAX_OBJECTS, maxPages: 3 });
    try {
      const error = await listingError(bounded);
      expect(error).toMatchObject({ code: 'InconsistentListing', retryable: false });
      expect(sim.openSessions).toBe(0);
    } finally {
      bounded.dispose();
    }
  });

  it('lists nothing but hosts', async () => {
    const iterator = provider.list(credentials(), 'rds', { region: null })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'UnsupportedResourceType', retryable: false });
  });
});

describe('VsphereProvider credentials and TLS', () => {
  it('verifies a good credential with one login and one logout', async () => {
    const logins = sim.callCount('Login');
    await provider.verify(credentials());
    expect(sim.callCount('Login')).toBe(logins + 1);
    expect(sim.openSessions).toBe(0);
  });

  it('fails a wrong password with InvalidLogin, without retrying', async () => {
    const logins = sim.callCount('Login');
    const error = await listingError(provider, credentials({ secretId: 'wrong-password', apiSecret: 'not-the-password' }));
    expect(error).toMatchObject({ vendor: 'vsphere', code: 'InvalidLogin', retryable: false, httpStatus: 500 });
    expect(sim.callCount('Login')).toBe(logins + 1);
    await expect(provider.verify(credentials({ secretId: 'wrong-password', apiSecret: 'nope' }))).rejects.toMatchObject({
      code: 'InvalidLogin',
    });
  });

  it('refuses a vCenter whose certificate it cannot trust, before sending anything', async () => {
    const received = sim.faults.requestCount;
    const untrusting = credentials({ secretId: 'no-ca', tls: null });
    const error = await listingError(provider, untrusting);
    expect(error).toMatchObject({ code: 'TlsError', retryable: false });
    expect(error.message).toMatch(/certificate/i);
    expect(error.message).toContain(sim.address);

    const otherCa = createTestPki().caPem;
    await expect(provider.verify(credentials({ secretId: 'other-ca', tls: { ca: otherCa } }))).rejects.toMatchObject({
      code: 'TlsError',
    });
    expect(sim.faults.requestCount).toBe(received);
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  });

  it('trusts the vCenter through the secret CA, or explicitly insecure, per secret only', async () => {
    await expect(provider.verify(credentials({ secretId: 'with-ca', tls: { ca: sim.caPem } }))).resolves.toBeUndefined();
    await expect(provider.verify(credentials({ secretId: 'insecure', tls: { insecure: true } }))).resolves.toBeUndefined();
    // The insecure secret did not loosen anything for another secret in the same process.
    await expect(provider.verify(credentials({ secretId: 'still-strict', tls: null }))).rejects.toMatchObject({ code: 'TlsError' });
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  });

  it('accepts host:port addresses and rejects unusable ones', async () => {
    await expect(provider.verify(credentials({ address: `https://${sim.address}/sdk` }))).resolves.toBeUndefined();
    await expect(provider.verify(credentials({ address: 'vcenter.example:99999' }))).rejects.toMatchObject({
      code: 'InvalidAddress',
      retryable: false,
    });
  });
});

describe('VsphereProvider faults', () => {
  it('logs in again when the session expires mid-listing and still returns every VM once', async () => {
    sim.faults.set({ mutateBeforePage: { page: 3, mutate: () => sim.expireSessions() } });
    const logins = sim.callCount('Login');

    const records = (await listAll()).flatMap((page) => page.items);

    expect(sim.callCount('Login')).toBe(logins + 2);
    expect(new Set(records.map((record) => record.instanceId)).size).toBe(records.length);
    expect(records).toHaveLength(hosts.length);
    expect(sim.openSessions).toBe(0);
  });

  it('fails cleanly with NotAuthenticated when the renewed session expires too', async () => {
    const expireAgain = () => sim.faults.set({ mutateBeforePage: { page: 2, mutate: () => sim.expireSessions() } });
    sim.faults.set({ mutateBeforePage: { page: 3, mutate: () => (sim.expireSessions(), expireAgain()) } });
    const error = await listingError();
    expect(error).toMatchObject({ code: 'NotAuthenticated', retryable: false });
    expect(sim.openSessions).toBe(0);
  });

  it('rides out a transient server error and throttling', async () => {
    sim.faults.set({ failPage: { page: 2, kind: 'server-error', times: MAX_ATTEMPTS - 1 }, throttleNext: 2 });
    const records = (await listAll()).flatMap((page) => page.items);
    expect(new Set(records.map((record) => record.instanceId)).size).toBe(hosts.length);
  });

  it('gives up on a persistent server error after the bounded attempts, with a retryable error', async () => {
    sim.faults.set({ failPage: { page: 2, kind: 'server-error' } });
    const retrievals = () => sim.callCount('RetrievePropertiesEx') + sim.callCount('ContinueRetrievePropertiesEx');
    const before = retrievals();
    const error = await listingError();
    expect(error).toMatchObject({ code: 'SystemError', retryable: true, httpStatus: 500 });
    // the datacenters, page 1, then page 2 asked MAX_ATTEMPTS times
    expect(retrievals() - before).toBe(2 + MAX_ATTEMPTS);
    expect(sim.openSessions).toBe(0);
  });

  it('turns a body that is not XML into InvalidResponse', async () => {
    sim.faults.set({ failPage: { page: 1, kind: 'malformed' } });
    const error = await listingError();
    expect(error).toMatchObject({ code: 'InvalidResponse' });
    expect(sim.openSessions).toBe(0);
  });

  it('times out a call that never answers', async () => {
    const impatient = new VsphereProvider(new ProviderRuntime({ baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 300, maxAttempts: 2 }), {
      maxObjects: MAX_OBJECTS,
    });
    sim.faults.set({ hangPage: 2 });
    try {
      const error = await listingError(impatient, credentials({ secretId: 'impatient' }));
      expect(error).toMatchObject({ code: 'Timeout', retryable: true });
      expect(sim.openSessions).toBe(0);
    } finally {
      impatient.dispose();
    }
  });

  it('never puts the password in an error', () => {
    expect(errors.length).toBeGreaterThanOrEqual(7);
    for (const error of errors) {
      expect(String((error as Error).message)).not.toContain(PASSWORD);
      expect(JSON.stringify(error)).not.toContain(PASSWORD);
    }
  });
});
