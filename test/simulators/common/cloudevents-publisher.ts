import { randomUUID } from 'node:crypto';
import { webhookSignature } from '../../../src/events/webhooks/cloudevents/webhook-hmac';
import type { Delivery } from './notification-channel';
import { NotificationChannel } from './notification-channel';

export type EventVendor = 'aliyun' | 'tencent';

/**
 * EventBridge of a simulated cloud: a CloudEvent per change, in the vendor's
 * shape (Aliyun's extensions; Tencent's epoch-ms `time`), posted to the
 * subscribed webhook with the secret's HMAC, as a relay would sign it.
 */
export class CloudEventsPublisher {
  readonly channel = new NotificationChannel();
  private subscriber: { url: string; webhookSecret: string } | null = null;

  constructor(private readonly vendor: EventVendor) {}

  subscribe(url: string, webhookSecret: string): void {
    this.subscriber = { url, webhookSecret };
  }

  /** Tells the subscriber that this instance changed (it will re-read it). */
  async resourceChanged(kind: 'host' | 'rds', instanceId: string, region: string): Promise<void> {
    if (!this.subscriber) return;
    await this.channel.publish(this.delivery([this.event(kind, instanceId, region)]));
  }

  /** One event as the vendor shapes it. */
  event(kind: 'host' | 'rds', instanceId: string, region: string): Record<string, unknown> {
    if (this.vendor === 'aliyun') {
      const product = kind === 'host' ? 'ecs' : 'rds';
      return {
        specversion: '1.0',
        id: randomUUID(),
        source: `acs.${product}`,
        type: kind === 'host' ? 'ecs:Instance:StateChange' : 'rds:DBInstance:StateChange',
        subject: `acs:${product}:${region}:1234567890:instance/${instanceId}`,
        time: new Date().toISOString(),
        datacontenttype: 'application/json;charset=utf-8',
        aliyunaccountid: '1234567890',
        aliyunpublishtime: '2020-11-19T21:04:42.179PRC',
        aliyuneventbusname: 'default',
        aliyunregionid: region,
        aliyunpublishaddr: '172.25.5.87',
        data: { resourceId: instanceId, resourceType: kind === 'host' ? 'ALIYUN::ECS::Instance' : 'ALIYUN::RDS::DBInstance', state: 'Running' },
      };
    }
    const product = kind === 'host' ? 'cvm' : 'cdb';
    return {
      specversion: '1.0',
      id: randomUUID(),
      source: `${product}.cloud.tencent`,
      type: kind === 'host' ? 'cvm:ErrorEvent:ping_unreachable' : 'cdb:CloudEvent:ApiCall',
      subject: `qcs::${product}:${region}:uin/100000000001:instance/${instanceId}`,
      time: Date.now(), // Tencent: epoch milliseconds, a number
      region,
      datacontenttype: 'application/json;charset=utf-8',
      data: { instanceId },
    };
  }

  /** A signed delivery of these events (one: structured; several: a batch); tests override the key or time to forge one. */
  delivery(events: unknown[], options: { webhookSecret?: string; timestamp?: number; url?: string } = {}): Delivery {
    const body = JSON.stringify(events.length === 1 ? events[0] : events);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const secret = options.webhookSecret ?? this.subscriber?.webhookSecret ?? '';
    return {
      url: options.url ?? this.subscriber?.url ?? '',
      headers: {
        'Content-Type': events.length === 1 ? 'application/cloudevents+json; charset=utf-8' : 'application/cloudevents-batch+json; charset=utf-8',
        'X-CMDB-Timestamp': timestamp,
        'X-CMDB-Signature': webhookSignature(secret, timestamp, Buffer.from(body)),
      },
      body,
    };
  }
}
