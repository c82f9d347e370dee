import { Injectable } from '@nestjs/common';
import type { SecretEntity } from '../../../secrets/secret.entity';
import { SecretsService } from '../../../secrets/secrets.service';
import { pemCertificates } from '../signing-certificates';
import { headerValue } from '../webhook-body';
import { WebhookRefusal } from '../webhook-refusals';
import { checkEventBridgeSignature, EVENTBRIDGE_SIGNATURE_HEADER, EVENTBRIDGE_TOLERANCE_MS } from './eventbridge-signature';
import { checkWebhookSignature, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_S } from './webhook-hmac';

/** A CloudEvents delivery as its signatures see it: the URL it was sent to, its headers and exact body. */
export interface SignedDelivery {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Authenticates a CloudEvents delivery: by the secret's webhook secret (the
 * HMAC a relay sends), or, for an aliyun secret with EventBridge's
 * certificate configured, by EventBridge's own RSA signature. A delivery
 * carrying our HMAC is always judged by it. Throws the refusal (401, or 400
 * for a signature the secret's vendor cannot send).
 */
@Injectable()
export class CloudEventsAuthentication {
  constructor(private readonly secrets: SecretsService) {}

  check(secret: SecretEntity, delivery: SignedDelivery): void {
    const eventBridgeSigned = headerValue(delivery.headers, SIGNATURE_HEADER) === undefined && headerValue(delivery.headers, EVENTBRIDGE_SIGNATURE_HEADER) !== undefined;
    if (eventBridgeSigned) this.checkEventBridge(secret, delivery);
    else this.checkHmac(secret, delivery);
  }

  private checkHmac(secret: SecretEntity, { headers, body }: SignedDelivery): void {
    const webhookSecret = this.secrets.webhookSecretOf(secret);
    if (!webhookSecret) throw new WebhookRefusal('bad_signature', 'the secret has no webhook secret: issue one (POST /secrets/:id/webhook-secret)');
    const verdict = checkWebhookSignature(webhookSecret, headers, body);
    if (verdict === 'missing') throw new WebhookRefusal('bad_signature', 'X-CMDB-Signature and X-CMDB-Timestamp are required');
    if (verdict === 'stale_timestamp') throw new WebhookRefusal('stale_timestamp', `X-CMDB-Timestamp is not within ${SIGNATURE_TOLERANCE_S} s of the server time`);
    if (verdict === 'bad_signature') throw new WebhookRefusal('bad_signature', 'the signature does not match the body');
  }

  private checkEventBridge(secret: SecretEntity, { url, headers, body }: SignedDelivery): void {
    if (secret.vendor !== 'aliyun') throw new WebhookRefusal('wrong_vendor', 'EventBridge signatures (x-eventbridge-signature-v2) are accepted on aliyun secrets only');
    const trusted = pemCertificates(secret.eventbridgeSigningCerts);
    if (trusted.length === 0) {
      throw new WebhookRefusal('untrusted_certificate', "the secret has no eventbridge_signing_certs: configure EventBridge's certificate, or sign with the webhook secret");
    }
    const verdict = checkEventBridgeSignature({ trusted, allowRegions: secret.allowRegions, targetUrl: url, headers, body });
    if (verdict === 'missing') {
      throw new WebhookRefusal('bad_signature', 'x-eventbridge-signature-v2, x-eventbridge-signature-timestamp, x-eventbridge-hash-method and x-eventbridge-signature-url are required');
    }
    if (verdict === 'unsupported_hash') throw new WebhookRefusal('bad_signature', 'x-eventbridge-hash-method must be SHA256');
    if (verdict === 'stale_timestamp') {
      throw new WebhookRefusal('stale_timestamp', `x-eventbridge-signature-timestamp is not within ${EVENTBRIDGE_TOLERANCE_MS / 1000} s of the server time`);
    }
    if (verdict === 'untrusted_certificate') {
      throw new WebhookRefusal(
        'untrusted_certificate',
        "x-eventbridge-signature-url is not on the EventBridge certificate host of a region the secret allows (https://<region>-eventbridge.oss-accelerate.aliyuncs.com), or no configured certificate is valid now",
      );
    }
    if (verdict === 'bad_signature') throw new WebhookRefusal('bad_signature', 'the EventBridge signature does not match the delivery');
  }
}
