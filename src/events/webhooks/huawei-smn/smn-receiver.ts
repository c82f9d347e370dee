import { BadGatewayException, Injectable, Logger } from '@nestjs/common';
import { EnvironmentVariables } from '../../../config/environment';
import type { SecretEntity } from '../../../secrets/secret.entity';
import { EventIntake } from '../event-intake';
import { WebhookRefusal } from '../webhook-refusals';
import { inboxEventOfSmn } from './rms-notification';
import { isSignedBy, isTrusted, isWithin } from '../signing-certificates';
import { SmnCertificates } from './smn-certificates';
import { isSmnUrl } from './smn-endpoint';
import { canonicalSmnString, parseSmnEnvelope, topicRegion, type SmnEnvelope } from './smn-envelope';

/** SMN's own limit is looser; a message older or newer than this is refused (a captured one cannot be replayed later). */
const TIMESTAMP_WINDOW_MS = 15 * 60_000;
const CONFIRM_TIMEOUT_MS = 5_000;

export type SmnAnswer = { event_id: string } | { confirmed: true } | { acknowledged: true };

/**
 * Verifies an SMN delivery (listed topic, time window, certificate from the
 * region's SMN endpoint and trusted, RSA-SHA256 signature over the canonical
 * string), then confirms a subscription or stores a notification.
 */
@Injectable()
export class SmnReceiver {
  private readonly logger = new Logger(SmnReceiver.name);

  constructor(
    private readonly certificates: SmnCertificates,
    private readonly intake: EventIntake,
    private readonly environment: EnvironmentVariables,
  ) {}

  async receive(secret: SecretEntity, body: Buffer): Promise<SmnAnswer> {
    if (secret.vendor !== 'huawei') throw new WebhookRefusal('wrong_vendor', 'SMN notifications go to a huawei secret');
    const envelope = parseSmnEnvelope(body);
    if (typeof envelope === 'string') throw new WebhookRefusal('malformed', `not an SMN message: ${envelope}`);
    await this.verify(secret, envelope);

    if (envelope.type === 'SubscriptionConfirmation') return this.confirm(envelope);
    if (envelope.type === 'UnsubscribeConfirmation') return { acknowledged: true };
    const event = inboxEventOfSmn(secret.id, topicRegion(envelope.topic_urn), envelope);
    if (typeof event === 'string') throw new WebhookRefusal('malformed', `not a Config notification: ${event}`);
    const [stored] = await this.intake.store([event]);
    if (stored.duplicate) throw new WebhookRefusal('replayed', `message_id ${envelope.message_id} was received before`);
    return { event_id: stored.id };
  }

  private async verify(secret: SecretEntity, envelope: SmnEnvelope): Promise<void> {
    if (!secret.smnTopicUrns.includes(envelope.topic_urn)) throw new WebhookRefusal('unlisted_topic', 'topic_urn is not one of the secret\'s smn_topic_urns');
    if (!isWithin(Date.parse(envelope.timestamp), TIMESTAMP_WINDOW_MS)) {
      throw new WebhookRefusal('stale_timestamp', 'timestamp is not within 15 minutes of the server time');
    }
    const region = topicRegion(envelope.topic_urn);
    if (!isSmnUrl(envelope.signing_cert_url, this.environment.CMDB_SMN_ENDPOINT, region)) {
      throw new WebhookRefusal('untrusted_certificate', `signing_cert_url is not on the SMN endpoint of ${region}`);
    }
    const certificate = await this.certificates.fetch(envelope.signing_cert_url).catch((error: unknown) => {
      this.logger.warn(`fetching an SMN signing certificate failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new WebhookRefusal('untrusted_certificate', 'the signing certificate could not be fetched');
    });
    if (!isTrusted(certificate, this.certificates.trustedFor(secret.smnSigningCerts))) {
      throw new WebhookRefusal('untrusted_certificate', 'the signing certificate is not a trusted one (smn_signing_certs)');
    }
    if (!isSignedBy(certificate, Buffer.from(canonicalSmnString(envelope), 'utf8'), envelope.signature)) throw new WebhookRefusal('bad_signature', 'the signature does not match the message');
  }

  /** GETs subscribe_url, only at the topic region's SMN endpoint (never a host the message names). */
  private async confirm(envelope: SmnEnvelope): Promise<SmnAnswer> {
    const region = topicRegion(envelope.topic_urn);
    if (!isSmnUrl(envelope.subscribe_url!, this.environment.CMDB_SMN_ENDPOINT, region)) {
      throw new WebhookRefusal('bad_subscribe_url', `subscribe_url is not on the SMN endpoint of ${region}`);
    }
    const response = await fetch(envelope.subscribe_url!, { redirect: 'error', signal: AbortSignal.timeout(CONFIRM_TIMEOUT_MS) }).catch(() => null);
    // Ours to retry: a 5xx makes SMN send the confirmation again.
    if (!response?.ok) throw new BadGatewayException('confirming the subscription with SMN failed');
    this.logger.log(`confirmed the SMN subscription to ${envelope.topic_urn}`);
    return { confirmed: true };
  }
}
