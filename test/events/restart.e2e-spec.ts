import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import { call, serverEnvironment } from '../support/killable-server';
import { startServerProcess } from '../support/server-process';

const REGION = 'cn-hangzhou';

describe('a server killed with events in its inbox', () => {
  let simulator: AliyunSimulator;
  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
  });
  afterAll(() => simulator.stop());

  it('applies them after the restart', async () => {
    const account = simulator.addAccount('LTAIrestarttest01', 'restart-secret');
    const [host] = generateHosts('aliyun', 1, { seed: 5, regions: [REGION] });
    const { environment, cleanup } = await serverEnvironment('events');
    // A short lease: the event the killed server was applying is taken up again soon after the restart.
    const settings = { ...environment, CMDB_EVENT_LEASE_MS: '2000', CMDB_VENDOR_RETRY_BASE_MS: '5' };
    try {
      const first = await startServerProcess(settings);
      let secretId: string;
      let eventId: string;
      try {
        const created = await call(first, 'POST', '/secrets', {
          name: 'restart',
          vendor: 'aliyun',
          api_key: 'LTAIrestarttest01',
          api_secret: 'restart-secret',
          allow_regions: [REGION],
          address: simulator.address,
          request_rate: 100,
          delta_sync: true,
        });
        expect(created.status).toBe(201);
        secretId = created.body.id;
        simulator.events.subscribe(`${first.url}/webhooks/cloudevents/${secretId}`, created.body.webhook_secret);
        // The cloud does not answer the re-read: the event is stored, claimed, and still being applied when the server dies.
        simulator.faults.set({ hangPage: 1 });
        await simulator.change('LTAIrestarttest01', 'host', host.id, host, REGION);
        const [delivered] = simulator.events.channel.answers;
        expect(delivered.status).toBe(202);
        eventId = JSON.parse(delivered.body).events[0].id;
        let event: Record<string, unknown>;
        do {
          await new Promise((resolve) => setTimeout(resolve, 50));
          event = (await call(first, 'GET', `/events/${eventId}`)).body;
        } while (event.attempts === 0);
        expect(event.status).toBe('pending');
      } finally {
        first.child.kill('SIGKILL');
        await new Promise((resolve) => first.child.once('exit', resolve));
      }
      simulator.faults.reset();
      expect(account.hosts.has(host.id)).toBe(true);

      const second = await startServerProcess(settings);
      try {
        let event: Record<string, unknown>;
        do {
          await new Promise((resolve) => setTimeout(resolve, 100));
          event = (await call(second, 'GET', `/events/${eventId}`)).body;
        } while (event.status === 'pending');
        expect(event).toMatchObject({ status: 'applied', reason: 'created', instance_id: host.id });
        const hosts = (await call(second, 'GET', `/hosts?secret_id=${secretId}`)).body;
        expect(hosts.items.map((item: { instance_id: string }) => item.instance_id)).toEqual([host.id]);
      } finally {
        await second.stop();
      }
    } finally {
      await cleanup();
    }
  }, 400_000); // two cold starts of a server with a fresh database: minutes on a loaded machine
});
