import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { eventBridgeStringToSign } from '../../../src/events/webhooks/cloudevents/eventbridge-signature';
import { webhookSignature } from '../../../src/events/webhooks/cloudevents/webhook-hmac';
import { createTestPki, type TestPki } from '../vsphere/certificates';
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
  /** Aliyun EventBridge's own signing key and certificate (a test one: configure `eventBridgeCertificatePem` on the secret). */
  private eventBridge: { pki: TestPki; key: KeyObject } | null = null;

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

  /** The certificate EventBridge signs with, as `eventbridge_signing_certs` takes it. */
  get eventBridgeCertificatePem(): string {
    return this.eventBridgeSigner().pki.serverCertPem;
  }

  /**
   * A delivery signed the way Aliyun EventBridge signs an HTTP target (no
   * webhook secret): x-eventbridge-signature-v2 over the documented string. Its
   * certificate URL is on the region's EventBridge host; the server never fetches it.
   * Tests override the key, time or certificate URL to forge one.
   */
  eventBridgeDelivery(events: unknown[], options: { region: string; key?: KeyObject; timestamp?: number; certificateUrl?: string; token?: string; url?: string }): Delivery {
    const body = JSON.stringify(events.length === 1 ? events[0] : events);
    const url = options.url ?? this.subscriber?.url ?? '';
    const signed: Record<string, string> = {
      'x-eventbridge-signature-timestamp': String(options.timestamp ?? Date.now()),
      'x-eventbridge-hash-method': 'SHA256',
      'x-eventbridge-signature-version': '1.0',
      'x-eventbridge-signature-url': options.certificateUrl ?? `https://${options.region}-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_test.pem`,
      ...(options.token ? { 'x-eventbridge-signature-token': options.token } : {}),
    };
    const signature = sign('sha256', eventBridgeStringToSign(url, signed, Buffer.from(body)), options.key ?? this.eventBridgeSigner().key);
    return {
      url,
      headers: {
        'Content-Type': events.length === 1 ? 'application/cloudevents+json; charset=utf-8' : 'application/cloudevents-batch+json; charset=utf-8',
        ...signed,
        'x-eventbridge-signature-v2': signature.toString('base64'),
      },
      body,
    };
  }

  private eventBridgeSigner(): { pki: TestPki; key: KeyObject } {
    if (!this.eventBridge) {
      const pki = createTestPki();
      this.eventBridge = { pki, key: createPrivateKey(pki.serverKeyPem) };
    }
    return this.eventBridge;
  }
}
