import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalSmnString, type SmnEnvelope } from '../../../src/events/webhooks/huawei-smn/smn-envelope';
import { NotificationChannel } from '../common/notification-channel';
import { createTestPki, type TestPki } from '../vsphere/certificates';

const CERT_PATH = '/smn/certs/signing.pem';
const SUBSCRIBE_PATH = '/smn/subscribe';

export type RmsEventType = 'CREATE' | 'UPDATE' | 'DELETE';

/** A Config ResourceChanged of one resource, as Huawei publishes it to SMN. */
export interface ResourceChange {
  topicUrn: string;
  resourceType: 'ecs.cloudservers' | 'rds.instances';
  eventType: RmsEventType;
  resourceId: string;
  name: string;
  region: string;
  /** The resource as its API lists it (null for a DELETE). */
  properties: Record<string, unknown> | null;
  captureTime: Date;
}

/**
 * Huawei SMN inside the simulator: signs messages with its own test
 * certificate (served at CERT_PATH, on the simulator's origin: the SMN
 * endpoint a test configures), sends subscription confirmations and counts
 * the confirmations GET back, and posts Config notifications to subscribers.
 */
export class SmnPublisher {
  readonly pki: TestPki = createTestPki();
  readonly channel = new NotificationChannel();
  /** Topics whose subscribe_url was visited. */
  readonly confirmed = new Set<string>();
  private readonly key: KeyObject;
  private readonly subscriptions = new Map<string, string>();
  private readonly tokens = new Map<string, string>();

  constructor(private readonly origin: () => string) {
    this.key = createPrivateKey(this.pki.serverKeyPem);
  }

  /** The test CA (trust it, or the certificate itself, through smn_signing_certs). */
  get caPem(): string {
    return this.pki.caPem;
  }

  get signingCertUrl(): string {
    return `${this.origin()}${CERT_PATH}`;
  }

  /** Serves the signing certificate and subscription confirmations; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname === CERT_PATH) {
      res.writeHead(200, { 'Content-Type': 'application/x-pem-file' }).end(this.pki.serverCertPem);
      return true;
    }
    if (url.pathname === SUBSCRIBE_PATH) {
      const topic = this.tokens.get(url.searchParams.get('token') ?? '');
      if (topic) this.confirmed.add(topic);
      res.writeHead(topic ? 200 : 404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ request_id: randomUUID() }));
      return true;
    }
    return false;
  }

  /** Subscribes `endpoint` to the topic: SMN first posts a SubscriptionConfirmation. */
  async subscribe(topicUrn: string, endpoint: string): Promise<{ status: number; body: string }> {
    this.subscriptions.set(topicUrn, endpoint);
    const token = randomUUID().replace(/-/g, '');
    this.tokens.set(token, topicUrn);
    const envelope = this.envelope(topicUrn, 'SubscriptionConfirmation', 'You are invited to subscribe to topic', {
      subscribe_url: `${this.origin()}${SUBSCRIBE_PATH}?token=${token}`,
    });
    return this.channel.send(this.delivery(endpoint, envelope));
  }

  /** Publishes a Config ResourceChanged to the topic's subscriber (held or lost as the channel decides). */
  async resourceChanged(change: ResourceChange): Promise<void> {
    const endpoint = this.subscriptions.get(change.topicUrn);
    if (!endpoint) return;
    await this.channel.publish(this.delivery(endpoint, this.notification(change)));
  }

  /** A signed Notification envelope of the change: tests alter or re-sign it to forge one. */
  notification(change: ResourceChange, options: { messageId?: string; timestamp?: Date } = {}): SmnEnvelope {
    const message = {
      notification_type: 'ResourceChanged',
      notification_creation_time: new Date().toISOString(),
      domain_id: 'd0000000000000000000000000000001',
      detail: {
        resource_id: change.resourceId,
        resource_type: change.resourceType,
        event_type: change.eventType,
        capture_time: change.captureTime.toISOString(),
        resource: {
          id: change.resourceId,
          name: change.name,
          provider: change.resourceType.split('.')[0],
          type: change.resourceType.split('.')[1],
          region_id: change.region,
          project_id: change.topicUrn.split(':')[3],
          properties: change.properties ?? {},
          tags: {},
        },
      },
    };
    return this.envelope(change.topicUrn, 'Notification', JSON.stringify(message), { subject: 'Config resource changed' }, options);
  }

  envelope(
    topicUrn: string,
    type: SmnEnvelope['type'],
    message: string,
    extra: Partial<SmnEnvelope>,
    options: { messageId?: string; timestamp?: Date } = {},
  ): SmnEnvelope {
    const envelope: SmnEnvelope = {
      type,
      topic_urn: topicUrn,
      message_id: options.messageId ?? randomUUID().replace(/-/g, ''),
      message,
      timestamp: (options.timestamp ?? new Date()).toISOString(),
      signature_version: 'v1',
      signing_cert_url: this.signingCertUrl,
      signature: '',
      ...extra,
    };
    return this.sign(envelope);
  }

  /** Signs with this SMN's key, or another (a forgery). */
  sign(envelope: SmnEnvelope, key: KeyObject = this.key): SmnEnvelope {
    return { ...envelope, signature: sign('sha256', Buffer.from(canonicalSmnString(envelope)), key).toString('base64') };
  }

  delivery(endpoint: string, envelope: SmnEnvelope): { url: string; headers: Record<string, string>; body: string } {
    return {
      url: endpoint,
      headers: {
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-SMN-MESSAGE-TYPE': envelope.type,
        'X-SMN-MESSAGE-ID': envelope.message_id,
        'X-SMN-TOPIC-URN': envelope.topic_urn,
      },
      body: JSON.stringify(envelope),
    };
  }
}

/** A key SMN never used: what a forger signs with. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}
