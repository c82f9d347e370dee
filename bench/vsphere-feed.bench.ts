import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { generateHosts, uuidFor } from '../test/simulators/common/generator';
import { VsphereSimulator } from '../test/simulators/vsphere/vsphere-simulator';
import { startServerProcess } from '../test/support/server-process';
import { freshDatabase } from './support/bench-database';
import { serverApi } from './support/server-api';
import { option, peakRssMib, productionNodeFlags } from './support/bench-process';
import { delaySummary } from './support/delays';

/**
 * `npm run bench -- vsphere-feed [--vms 1000] [--changes 50]` (build first: it
 * runs the built server). A watched vSphere secret on PostgreSQL: once the
 * server follows the simulated vCenter's change feed, VMs are powered off and
 * on one at a time, and each change's delay from the vCenter to the host row
 * is measured (polled every 5 ms), whole and from the simulator's answer on
 * (the server's part). Prints the server's peak memory after the first
 * listing, and p50, p99 and max (issue 17's target: a power-off in the
 * inventory within 2 s).
 */
async function main(): Promise<void> {
  const vmCount = Number(option('vms', '1000'));
  const changes = Number(option('changes', '50'));
  const simulator = await VsphereSimulator.start();
  const user = 'bench@vsphere.local';
  const password = randomBytes(12).toString('hex');
  simulator.addAccount(user, password);
  const vms = generateHosts('vsphere', vmCount, { seed: 5, regions: ['DC-East'] }).map((host) => ({ ...host, datacenter: host.region, rawStatus: 'poweredOn' }));
  simulator.load(user, vms);
  const database = await freshDatabase('cmdb_bench_vsphere_feed');
  const server = await startServerProcess({
    DATABASE_URL: database.url,
    CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CMDB_SYNC_SCHEDULE: 'off',
    NODE_OPTIONS: productionNodeFlags(),
  });
  const dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 1 } });
  await dataSource.initialize();
  try {
    const api = serverApi(server);
    const secret = await api('POST', '/secrets', {
      name: 'bench',
      vendor: 'vsphere',
      api_key: user,
      api_secret: password,
      address: simulator.address,
      tls: { ca: simulator.caPem },
      request_rate: 100,
      watch: true,
    });
    const started = Date.now();
    while ((await api('GET', `/secrets/${secret.id}`)).watch_status?.state !== 'following') await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(`\nfollowing ${vmCount} VMs ${((Date.now() - started) / 1000).toFixed(1)} s after the secret was created (its first listing included)`);
    console.log(`server peak RSS after the first listing (VmHWM, start-up included): ${peakRssMib(server.child.pid!).toFixed(0)} MiB (node flags of npm start: ${productionNodeFlags()})`);

    const statusOf = async (id: string) => ((await dataSource.query(`SELECT status FROM hosts WHERE instance_id = $1`, [uuidFor(id)]))[0] as { status: string }).status;
    const delays: number[] = [];
    const serverShares: number[] = [];
    for (let i = 0; i < changes; i++) {
      const vm = vms[i % vms.length];
      const off = (await statusOf(vm.id)) === 'running';
      if (off) simulator.powerOff(user, vm.id);
      else simulator.powerOn(user, vm.id);
      const changedAt = Date.now();
      const wanted = off ? 'stopped' : 'running';
      while ((await statusOf(vm.id)) !== wanted) await new Promise((resolve) => setTimeout(resolve, 5));
      const seenAt = Date.now();
      delays.push(seenAt - changedAt);
      serverShares.push(seenAt - Math.max(changedAt, simulator.lastUpdatesAnsweredAt ?? changedAt));
    }
    console.log(`${changes} power changes, one at a time: vCenter -> host row ${delaySummary(delays)} (target: within 2,000 ms)`);
    // The rest is the simulator noticing the change: it compares its whole inventory with what each filter was told.
    console.log(`  of which the server's part (the feed's answer -> host row): ${delaySummary(serverShares)}`);
  } finally {
    await dataSource.destroy();
    await server.stop();
    await simulator.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
