import { randomBytes } from 'node:crypto';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import type { SimAccount } from '../simulators/common/simulator';
import type { TestApp } from '../support/test-app';

export const MACHINE_MQTT = 'mqtt://127.0.0.1:1883';
export const MACHINE_NATS = 'nats://127.0.0.1:4222';

/** A topic prefix and stream name no other test (or run) uses. */
export function uniqueBus(): { prefix: string; stream: string } {
  const prefix = `t${randomBytes(5).toString('hex')}`;
  return { prefix, stream: prefix.toUpperCase() };
}

export function publishEnvironment(bus: { prefix: string; stream: string }, urls: { mqtt?: string; nats?: string }): Record<string, string> {
  return {
    ...(urls.mqtt ? { CMDB_PUBLISH_MQTT_URL: urls.mqtt } : {}),
    ...(urls.nats ? { CMDB_PUBLISH_NATS_URL: urls.nats } : {}),
    CMDB_PUBLISH_TOPIC_PREFIX: bus.prefix,
    CMDB_PUBLISH_NATS_STREAM: bus.stream,
    CMDB_PUBLISH_SOURCE: 'https://cmdb.test',
    CMDB_PUBLISH_TIMEOUT_MS: '2000',
    CMDB_PUBLISH_RETRY_MAX_MS: '500',
    CMDB_PUBLISH_TAKEOVER_MS: '200',
  };
}

/** An Aliyun account in a simulator, a secret for it, and a sync of its hosts through the API. */
export class AliyunHosts {
  private seed = 1;
  private constructor(
    readonly simulator: AliyunSimulator,
    readonly account: SimAccount,
    private readonly apiKey: string,
    private readonly apiSecret: string,
  ) {}

  static async start(): Promise<AliyunHosts> {
    const simulator = await AliyunSimulator.start();
    const apiKey = `AK${randomBytes(8).toString('hex')}`;
    const apiSecret = randomBytes(16).toString('hex');
    return new AliyunHosts(simulator, simulator.addAccount(apiKey, apiSecret), apiKey, apiSecret);
  }

  secretBody(): Record<string, unknown> {
    return { name: `aliyun-${randomBytes(3).toString('hex')}`, vendor: 'aliyun', api_key: this.apiKey, api_secret: this.apiSecret, allow_regions: ['cn-hangzhou'], address: this.simulator.address, request_rate: 100 };
  }

  add(count: number) {
    const items = generateHosts('aliyun', count, { seed: this.seed++, regions: ['cn-hangzhou'], startIndex: this.seed * 100_000 });
    for (const item of items) this.account.hosts.set(item.id, item);
    return items;
  }

  /** Renames the first `count` hosts; answers their ids. */
  rename(count: number): string[] {
    const hosts = [...this.account.hosts.values()].slice(0, count);
    for (const host of hosts) host.name = `${host.name}-renamed`;
    return hosts.map((host) => host.id);
  }

  /** Removes the last `count` hosts; answers their ids. */
  remove(count: number): string[] {
    const hosts = [...this.account.hosts.values()].slice(-count);
    for (const host of hosts) this.account.hosts.delete(host.id);
    return hosts.map((host) => host.id);
  }

  async createSecret(t: TestApp): Promise<string> {
    return (await t.http.post('/secrets').send(this.secretBody()).expect(201)).body.id;
  }

  stop() {
    return this.simulator.stop();
  }
}

/** `{ specversion, id, ... }` of a structured-mode CloudEvent payload. */
export interface ReceivedEvent {
  specversion: string;
  id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  revision: string;
  datacontenttype: string;
  data: { object: Record<string, unknown> | null; changed_fields: Record<string, { old: unknown; new: unknown }> | null; origin: { trigger: string; job_id: string | null } };
}

/** The revisions in order of first arrival, and whether any arrived more than once. */
export function firstArrivals(events: ReceivedEvent[]): string[] {
  const seen = new Set<string>();
  return events.map((event) => event.id).filter((id) => !seen.has(id) && seen.add(id));
}

export function consecutive(from: bigint, count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(from + BigInt(i)));
}
