import { HttpException, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../auth/audit.service';
import { MetricsService } from '../../metrics/metrics.service';
import type { EventChannel } from '../inbox/inbox-event';

/** Why a delivery was refused: the metric label, and the status it answers. */
export const REFUSALS = {
  unknown_secret: 404,
  delta_sync_off: 403,
  too_large: 413,
  malformed: 400,
  bad_signature: 401,
  stale_timestamp: 401,
  untrusted_certificate: 401,
  unlisted_topic: 403,
  bad_subscribe_url: 400,
  wrong_vendor: 400,
  replayed: 409,
} as const;
export type RefusalReason = keyof typeof REFUSALS;

/** A refused delivery: nothing was stored. */
export class WebhookRefusal extends HttpException {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super({ message, details: { reason } }, REFUSALS[reason]);
  }
}

/**
 * Counts and audits every refused delivery (a forgery attempt is worth an
 * audit line), then answers its 4xx. The reason names the check, never the
 * secret or the expected signature.
 */
@Injectable()
export class WebhookRefusals {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
  ) {}

  async refused(channel: EventChannel, secretId: string, refusal: WebhookRefusal): Promise<never> {
    this.metrics.webhookRejections.inc({ channel, reason: refusal.reason });
    this.logger.warn(`${channel} webhook of secret ${secretId.slice(0, 64)} refused: ${refusal.reason}`);
    await this.audit
      .record({ action: 'webhook.rejected', target: { kind: 'secret', id: secretId.slice(0, 64) }, details: { channel, reason: refusal.reason, message: refusal.message } })
      .catch((error: unknown) => this.logger.error({ err: error }, 'auditing a refused webhook failed'));
    throw refusal;
  }
}
