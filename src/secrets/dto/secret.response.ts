import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf, ResponseSchema } from '../../common/response-schema';
import { VENDORS, type Vendor } from '../../providers/provider';
import { WATCH_STATES, type CredentialType, type WatchState } from '../secret.entity';

/** vSphere's TLS options as stored (the CA is a certificate, not a secret). */
@ResponseSchema()
export class TlsView {
  @ApiProperty({ type: String, nullable: true, description: 'PEM bundle of the CA that signs the vCenter certificate' })
  ca: string | null;

  @ApiProperty()
  insecure: boolean;
}

@ResponseSchema()
export class WatchErrorView {
  @ApiProperty()
  code: string;

  @ApiProperty()
  message: string;
}

/** How the process that follows a vSphere secret's change feed is doing. */
@ResponseSchema()
export class WatchStatusView {
  @ApiProperty({ enum: WATCH_STATES })
  state: WatchState;

  @ApiProperty({ type: WatchErrorView, nullable: true, description: 'The error that ended the last attempt; null once following again' })
  error: WatchErrorView | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last answer with changes was applied' })
  last_update_at: string | null;

  @ApiProperty({ type: 'integer', description: 'Resources created, updated or deleted from the feed, counted on across restarts and takeovers of its follower' })
  updates_applied: number;

  @ApiProperty({ format: 'date-time', description: 'When the state last changed' })
  since: string;
}

/** What a client sees of a secret (secretView): never api_secret, api_key masked. */
@ResponseSchema()
export class SecretView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ enum: VENDORS })
  vendor: Vendor;

  @ApiProperty({ enum: ['api_key', 'password'] })
  credential_type: CredentialType;

  @ApiProperty({ description: 'Masked: its first and last characters only', example: 'LTAI****k9x2' })
  api_key: string;

  @ApiProperty({ type: [String], description: '`*` allows every region; empty for vSphere' })
  allow_regions: string[];

  @ApiProperty({ type: String, nullable: true, description: 'vSphere host[:port], or a cloud endpoint override' })
  address: string | null;

  @ApiProperty({ type: 'integer', description: 'Vendor requests per second' })
  request_rate: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, description: 'Huawei: project id per region' })
  project_ids: Record<string, string> | null;

  @ApiProperty({ type: TlsView, nullable: true, description: 'vSphere only; null for clouds' })
  tls: TlsView | null;

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ description: 'vSphere: follows the vCenter change feed' })
  watch: boolean;

  @ApiProperty({ type: WatchStatusView, nullable: true, description: 'null until a process follows the feed, and for a secret that does not watch' })
  watch_status: WatchStatusView | null;

  @ApiProperty({ type: String, nullable: true, description: 'Its own cron schedule; null follows CMDB_SYNC_SCHEDULE' })
  sync_schedule: string | null;

  @ApiProperty({ type: String, nullable: true })
  sync_timezone: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The schedule it follows (its own or the default); null: none, or disabled' })
  effective_schedule: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  next_sync_at: string | null;

  @ApiProperty({ description: 'Its webhooks accept vendor notifications' })
  delta_sync: boolean;

  @ApiProperty({ type: [String], nullable: true, description: 'Huawei: SMN topics accepted; null for other vendors' })
  smn_topic_urns: string[] | null;

  @ApiProperty({ type: String, nullable: true, description: 'Huawei: SMN signing certificates trusted besides the shipped one; null for other vendors' })
  smn_signing_certs: string | null;

  @ApiProperty({ type: String, nullable: true, description: "Aliyun: EventBridge signing certificates that verify x-eventbridge-signature-v2; null for other vendors" })
  eventbridge_signing_certs: string | null;

  @ApiProperty({ description: 'Whether a webhook secret was issued (it is shown once, when issued)' })
  webhook_secret_set: boolean;

  @ApiProperty({ description: 'Which encryption key encrypts api_secret' })
  encryption_key_id: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

/** A secret just created: its view and, when it has one, the webhook secret, shown this once. */
@ResponseSchema()
export class CreatedSecretView extends SecretView {
  @ApiPropertyOptional({ description: 'Present when delta sync was asked for: shown this once' })
  webhook_secret?: string;
}

@ResponseSchema()
export class WebhookSecretView {
  @ApiProperty({ description: 'Shown this once: only a rotation issues another' })
  webhook_secret: string;
}

export const SecretPage = PageOf(SecretView, 'SecretPage');
