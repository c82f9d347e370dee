import type { Vendor } from '../../src/providers/provider';
import { client, type Http } from '../../demo/demo-api';
import { startDemoClouds, stopDemoClouds, type DemoCloud } from '../../demo/demo-clouds';
import { registerDemoSecrets, waitForFirstSync } from '../../demo/demo-secrets';
import { generateHosts, uuidFor } from '../simulators/common/generator';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * `npm run demo`'s wiring against a real server: its four clouds, its secrets,
 * its first sync; then a change in each cloud reaches the inventory through
 * the cloud's notification (no full sync runs: schedules are off here).
 */
describe('npm run demo: the clouds notify the server', () => {
  let clouds: DemoCloud[];
  let t: TestApp;
  let http: Http;
  const reported: string[] = [];
  let closed = false;
  const cloud = (vendor: Vendor) => clouds.find((candidate) => candidate.vendor === vendor)!;

  /** Asks until the answer satisfies the check (the test's timeout bounds it; a timed-out test stops asking at afterAll). */
  async function eventually<T>(ask: () => Promise<T>, check: (answer: T) => boolean): Promise<T> {
    for (;;) {
      if (closed) throw new Error('the test ended');
      const answer = await ask();
      if (check(answer)) return answer;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const host = (vendor: Vendor, instanceId: string) =>
    http<{ name: string; state: string }>('GET', `/hosts/${vendor}:${encodeURIComponent(instanceId)}`).catch(() => null);

  beforeAll(async () => {
    clouds = await startDemoClouds({ hosts: 8, databases: 2 });
    t = await startTestApp({ CMDB_SMN_ENDPOINT: cloud('huawei').simulator.address, CMDB_SYNC_SCHEDULE: 'off', CMDB_VENDOR_RETRY_BASE_MS: '5' });
    await t.app.listen(0, '127.0.0.1');
    const url = await t.app.getUrl();
    http = client(url, t.adminToken!);
    const registered = await registerDemoSecrets(http, clouds, url, { schedule: 'off' });
    await waitForFirstSync(http, registered, (line) => reported.push(line));
  }, 180_000);
  afterAll(async () => {
    closed = true;
    await t?.close();
    if (clouds) await stopDemoClouds(clouds);
  });

  it('registers one secret per cloud with delta sync on (vSphere follows its feed), and the first sync lists every cloud', async () => {
    expect(reported).toEqual([]);
    const secrets = await http<{ items: { vendor: string; delta_sync: boolean; watch: boolean; webhook_secret_set: boolean }[] }>('GET', '/secrets');
    expect(secrets.items.map(({ vendor, delta_sync, watch }) => ({ vendor, delta_sync, watch })).sort((a, b) => a.vendor.localeCompare(b.vendor))).toEqual([
      { vendor: 'aliyun', delta_sync: true, watch: false },
      { vendor: 'huawei', delta_sync: true, watch: false },
      { vendor: 'tencent', delta_sync: true, watch: false },
      { vendor: 'vsphere', delta_sync: false, watch: true },
    ]);
    const stats = await http<{ by_resource_type: { host: number; rds: number } }>('GET', '/stats');
    expect(stats.by_resource_type).toMatchObject({ host: 32, rds: 6 });
  });

  it.each<Vendor>(['aliyun', 'tencent', 'huawei', 'vsphere'])('%s: a host created, renamed and released in the cloud reaches the inventory through its notification', async (vendor) => {
    const { notifications } = cloud(vendor);
    const { resource_version } = await http<{ resource_version: string }>('GET', '/hosts?limit=1');
    const [fresh] = generateHosts(vendor, 1, { seed: 19, startIndex: 50_000 });
    // vCenter's instanceUuid, derived from the simulator's VM id; the others keep the cloud's id.
    const instanceId = vendor === 'vsphere' ? uuidFor(fresh.id) : fresh.id;

    const heard = [await notifications.change(fresh, 'created')];
    await eventually(() => host(vendor, instanceId), (found) => found?.name === fresh.name);
    heard.push(await notifications.change({ ...fresh, name: `${fresh.name}-renamed` }, 'updated'));
    await eventually(() => host(vendor, instanceId), (found) => found?.name === `${fresh.name}-renamed`);
    heard.push(await notifications.change(fresh, 'deleted'));
    await eventually(() => host(vendor, instanceId), (found) => found?.state === 'deleted');

    // Accepted by the webhook (CloudEvents 202, SMN 200), or followed on vCenter's feed.
    for (const answer of heard) expect(answer).toMatch(/→ 20[02]$|^vCenter change feed$/);
    const changes = await http<{ items: { instance_id: string; change_type: string; trigger: string }[] }>('GET', `/changes?after=${resource_version}&vendor=${vendor}&limit=100`);
    expect(changes.items.filter((change) => change.instance_id === instanceId).map((change) => `${change.change_type}/${change.trigger}`)).toEqual([
      'created/event',
      'updated/event',
      'deleted/event',
    ]);
  });
});
