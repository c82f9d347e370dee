import type { Vendor } from '../src/providers/provider';
import { vendorRegions } from '../test/simulators/common/generator';
import type { HttpSimulator } from '../test/simulators/common/http-simulator';
import type { SimHost } from '../test/simulators/common/model';
import type { NotificationChannel } from '../test/simulators/common/notification-channel';
import type { CloudSimulator, SimAccount } from '../test/simulators/common/simulator';
import type { HuaweiSimulator } from '../test/simulators/huawei/huawei.simulator';

export type HostChange = 'created' | 'updated' | 'deleted';

/** The secret as the server answered its creation: the webhook secret is shown this once. */
export interface CreatedSecret {
  id: string;
  webhook_secret?: string | null;
}

/**
 * How one demo cloud tells the server about its changes (delta sync), as a
 * real deployment would wire it: Aliyun and Tencent post CloudEvents signed
 * with the secret's webhook secret, Huawei's Config publishes to an SMN topic
 * the server is subscribed to, and vCenter has its own change feed that the
 * server follows (`watch: true`).
 */
export interface CloudNotifications {
  /** Fields of the POST /secrets body that turn delta sync on. */
  secretFields: Record<string, unknown>;
  /** Points the cloud's notifications at the server once its secret exists. */
  subscribe(serverUrl: string, secret: CreatedSecret): Promise<void>;
  /** Changes a host as the cloud would and notifies the server; answers how the server heard of it. */
  change(host: SimHost, change: HostChange): Promise<string>;
}

export function cloudNotifications(vendor: Vendor, simulator: CloudSimulator, apiKey: string, account: SimAccount): CloudNotifications {
  switch (vendor) {
    case 'aliyun':
    case 'tencent':
      return cloudEvents(simulator as HttpSimulator, apiKey);
    case 'huawei':
      return smn(simulator as HuaweiSimulator, apiKey);
    case 'vsphere':
      return {
        secretFields: { watch: true },
        subscribe: async () => undefined,
        async change(host, change) {
          if (change === 'deleted') account.hosts.delete(host.id);
          else account.hosts.set(host.id, host);
          return 'vCenter change feed';
        },
      };
  }
}

function cloudEvents(simulator: HttpSimulator, apiKey: string): CloudNotifications {
  return {
    secretFields: { delta_sync: true },
    async subscribe(serverUrl, secret) {
      if (!secret.webhook_secret) throw new Error(`the server gave the ${simulator.vendor} secret no webhook secret`);
      simulator.events.subscribe(`${serverUrl}/webhooks/cloudevents/${secret.id}`, secret.webhook_secret);
    },
    async change(host, change) {
      await simulator.change(apiKey, 'host', host.id, change === 'deleted' ? null : host, host.region);
      return `CloudEvent ${lastAnswer(simulator.events.channel)}`;
    },
  };
}

const SMN_EVENT_TYPES = { created: 'CREATE', updated: 'UPDATE', deleted: 'DELETE' } as const;

function smn(simulator: HuaweiSimulator, apiKey: string): CloudNotifications {
  // Config publishes the changes of every region to one topic.
  const region = vendorRegions('huawei')[0];
  const topic = `urn:smn:${region}:${simulator.projectId(apiKey, region)}:cmdb-demo`;
  return {
    secretFields: { delta_sync: true, smn_topic_urns: [topic], smn_signing_certs: simulator.smn.caPem },
    async subscribe(serverUrl, secret) {
      const confirmation = await simulator.smn.subscribe(topic, `${serverUrl}/webhooks/huawei-smn/${secret.id}`);
      if (confirmation.status !== 200) throw new Error(`the server refused the SMN subscription: ${confirmation.status} ${confirmation.body}`);
      simulator.smn.channel.answers.length = 0;
    },
    async change(host, change) {
      await simulator.change(apiKey, topic, SMN_EVENT_TYPES[change], { kind: 'host', value: host });
      return `SMN notification ${lastAnswer(simulator.smn.channel)}`;
    },
  };
}

/** The status the server answered the latest delivery; forgets the answers (the demo runs for hours). */
function lastAnswer(channel: NotificationChannel): string {
  const answer = channel.answers.at(-1);
  channel.answers.length = 0;
  return answer ? `→ ${answer.status}` : 'not sent';
}
