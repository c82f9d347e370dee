import { generateHosts, uuidFor } from '../../../test/simulators/common/generator';
import type { SimHost } from '../../../test/simulators/common/model';
import { VsphereSimulator } from '../../../test/simulators/vsphere/vsphere-simulator';
import { ProviderRuntime } from '../common/provider-runtime';
import type { FeedAnswer, HostRecord, ProviderCredentials } from '../provider';
import { isProviderError } from '../provider-error';
import { VsphereProvider } from './vsphere.provider';

const USER = 'watcher@vsphere.local';
const PASSWORD = 'w4tch-<&>-pass';

let sim: VsphereSimulator;
let hosts: SimHost[];
let provider: VsphereProvider;
let credentials: ProviderCredentials;
let controllers: AbortController[] = [];

/** A running watch, read answer by answer. */
function follow(maxObjectUpdates = 1000) {
  const controller = new AbortController();
  controllers.push(controller);
  const watching = new VsphereProvider(new ProviderRuntime({ maxAttempts: 1, timeoutMs: 5000 }), {}, { maxWaitSeconds: 1, maxObjectUpdates });
  const iterator = watching.watch(credentials, 'host', controller.signal)[Symbol.asyncIterator]();
  return {
    controller,
    async next(): Promise<FeedAnswer<HostRecord>> {
      const step = await iterator.next();
      if (step.done) throw new Error('the watch ended');
      return step.value as FeedAnswer<HostRecord>;
    },
    /** The next answer that says anything. */
    async nextChange(): Promise<FeedAnswer<HostRecord>> {
      for (;;) {
        const answer = await this.next();
        if (answer.items.length + answer.gone.length + answer.rejected.length > 0) return answer;
      }
    },
    stop: () => controller.abort(),
  };
}

beforeAll(async () => {
  sim = await VsphereSimulator.start();
  sim.addAccount(USER, PASSWORD);
  provider = new VsphereProvider(new ProviderRuntime());
  credentials = { secretId: 'vc-watch', vendor: 'vsphere', apiKey: USER, apiSecret: PASSWORD, address: sim.address, requestRate: 1000, tls: { ca: sim.caPem } };
});

beforeEach(() => {
  sim.account(USER).hosts.clear();
  hosts = generateHosts('vsphere', 40, { seed: 11, regions: ['DC-A', 'DC-B'] }).map((host) => ({ ...host, datacenter: host.region, rawStatus: 'poweredOn' }));
  sim.load(USER, hosts);
});

afterEach(() => {
  for (const controller of controllers) controller.abort();
  controllers = [];
});

afterAll(async () => {
  provider.dispose();
  await sim.stop();
});

describe('VsphereProvider.watch', () => {
  it('follows a VM migrated to another datacenter (it leaves one view and enters another) as updated, never gone', async () => {
    const watch = follow();
    await watch.next();
    // Both ways, so that the datacenter it enters is reported before and after the one it leaves.
    const fromB = hosts.find((host) => host.datacenter === 'DC-B')!;
    const fromA = hosts.find((host) => host.datacenter === 'DC-A')!;
    for (const [vm, target] of [[fromB, 'DC-A'], [fromA, 'DC-B']] as const) {
      sim.account(USER).hosts.get(vm.id)!.datacenter = target;
      const answer = await watch.nextChange();
      expect(answer.gone).toEqual([]);
      expect(answer.items.map((item) => [item.instanceId, item.region])).toEqual([[uuidFor(vm.id), target]]);
    }
    // What the watch holds of the moved VM is whole: a later change applies onto it.
    sim.powerOff(USER, fromB.id);
    const later = await watch.nextChange();
    expect(later.items).toEqual([expect.objectContaining({ instanceId: uuidFor(fromB.id), region: 'DC-A', status: 'stopped', name: fromB.name })]);
  });

  it('answers first with the complete listing of every datacenter', async () => {
    const watch = follow();
    const first = await watch.next();
    expect(first.complete).toBe(true);
    expect(first.gone).toEqual([]);
    expect(first.items.map((item) => item.instanceId).sort()).toEqual(hosts.map((host) => uuidFor(host.id)).sort());
    const sample = first.items.find((item) => item.instanceId === uuidFor(hosts[0].id))!;
    expect(sample).toMatchObject({ name: hosts[0].name, region: hosts[0].datacenter, status: 'running' });
  });

  it('never answers a listing without the VMs of a datacenter added while it opened its filters (it would sweep them, and never follow them)', async () => {
    sim.beforeNextCall('CreateFilter', () => sim.addVm(USER, { ...hosts[0], id: 'vm-late-dc', datacenter: 'DC-Late' }));
    const watch = follow();
    const first = await watch.next().catch((error: unknown) => error);
    expect(isProviderError(first) && first.code).toBe('DatacentersChanged');
  });

  it('keeps a truncated first listing together, however small maxObjectUpdates is', async () => {
    const watch = follow(7);
    const first = await watch.next();
    expect(first.complete).toBe(true);
    expect(new Set(first.items.map((item) => item.instanceId)).size).toBe(hosts.length);
  });

  it('answers a power-off and a rename as the whole updated record, an added VM as a new one and a removed one as gone', async () => {
    const watch = follow();
    await watch.next();
    sim.powerOff(USER, hosts[1].id);
    sim.rename(USER, hosts[1].id, 'renamed-vm');
    const modified = await watch.nextChange();
    expect(modified.complete).toBe(false);
    expect(modified.items).toEqual([
      expect.objectContaining({ instanceId: uuidFor(hosts[1].id), name: 'renamed-vm', status: 'stopped', cpu: hosts[1].cpu, region: hosts[1].datacenter, privateIps: [] }),
    ]);

    const added: SimHost = { ...hosts[2], id: 'vm-added-1', name: 'added-vm' };
    sim.addVm(USER, added);
    sim.removeVm(USER, hosts[3].id);
    const changes = await watch.nextChange();
    expect(changes.items.map((item) => item.instanceId)).toEqual([uuidFor('vm-added-1')]);
    expect(changes.gone).toEqual([uuidFor(hosts[3].id)]);
  });

  it('treats a VM turned into a template as gone', async () => {
    const watch = follow();
    await watch.next();
    sim.templates.add(hosts[4].id);
    const changes = await watch.nextChange();
    expect(changes).toMatchObject({ items: [], gone: [uuidFor(hosts[4].id)] });
    sim.templates.delete(hosts[4].id);
  });

  it.each([
    ['a dropped session', () => sim.expireSessions(), 'NotAuthenticated'],
    ['a collector that no longer knows its version', () => sim.invalidateCollectorVersions(), 'InvalidCollectorVersion'],
    ['a new datacenter', () => sim.addDatacenter(USER, 'DC-New'), 'DatacentersChanged'],
  ])('ends with the vendor error after %s, so that the caller starts over', async (_, breakIt, code) => {
    const watch = follow();
    await watch.next();
    breakIt();
    sim.powerOff(USER, hosts[5].id); // something to answer, in case the break alone says nothing
    const failure = await (async () => {
      await watch.nextChange(); // the power-off may still come before the break is noticed
      await watch.nextChange();
    })().catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.code).toBe(code);
  });

  it('stops promptly when the vCenter no longer answers: its best-effort clean-up is bounded, not one timeout per filter, view and logout', async () => {
    const watch = follow();
    await watch.next();
    sim.unresponsive = true;
    try {
      const pending = watch.next().catch(() => 'ended');
      await new Promise((resolve) => setTimeout(resolve, 200)); // its wait is now held by a vCenter that will not answer
      const stoppedAt = Date.now();
      watch.stop();
      await pending;
      expect(Date.now() - stoppedAt).toBeLessThan(8_000); // each of its 7 clean-up calls alone may take the 5 s call timeout
    } finally {
      sim.unresponsive = false;
      sim.expireSessions(); // the session it could not log out of, and its views
    }
  });

  it('ends quietly when its signal aborts, destroying its filters and views and logging out', async () => {
    const before = sim.openSessions;
    const destroyedBefore = sim.callCount('DestroyPropertyFilter');
    const watch = follow();
    await watch.next();
    const pending = watch.next().then(
      () => 'answered',
      (error: unknown) => (error instanceof Error && error.message === 'the watch ended' ? 'ended' : error),
    );
    watch.stop();
    expect(await pending).toBe('ended');
    expect(sim.openSessions).toBe(before);
    expect(sim.callCount('DestroyPropertyFilter') - destroyedBefore).toBeGreaterThanOrEqual(3); // each datacenter's filter and the datacenters' own
    expect(sim.openViews).toBe(0);
  });
});
