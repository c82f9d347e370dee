import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { OptionalNotNull } from '../../common/validation';
import { VENDORS, Vendor } from '../../providers/provider';
import type { CredentialType } from '../secret.entity';

export class TlsOptionsDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'PEM bundle of the CA that signed the vCenter certificate' })
  @IsOptional()
  @IsString()
  @MaxLength(65536)
  @Matches(/-----BEGIN CERTIFICATE-----/, { message: 'tls.ca must be a PEM certificate bundle' })
  ca?: string | null;

  @ApiPropertyOptional({ description: 'Skip certificate verification for this secret only (never process-wide)' })
  @OptionalNotNull()
  @IsBoolean()
  insecure?: boolean;
}

/** Fields a secret can be created with and (but for vendor) changed. */
export class SecretFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ enum: ['api_key', 'password'], description: 'api_key for clouds, password for vSphere (the default follows the vendor)' })
  @OptionalNotNull()
  @IsIn(['api_key', 'password'])
  credential_type?: CredentialType;

  @ApiPropertyOptional({ description: 'Regions the secret may sync; `*` allows every region. Required (at least one) for clouds, absent for vSphere.', example: ['cn-hangzhou'] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(/^(\*|[a-z0-9][a-z0-9-]{0,62})$/, { each: true, message: 'allow_regions entries must be region ids like cn-hangzhou, or *' })
  allow_regions?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'vSphere host[:port]; for a cloud, an endpoint override (private regions, simulators)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 5, description: 'Vendor requests per second' })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  request_rate?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, description: 'Huawei: project id per region', example: { 'cn-north-4': '0a1b2c...' } })
  @IsOptional()
  @IsObject()
  project_ids?: Record<string, string> | null;

  @ApiPropertyOptional({ type: TlsOptionsDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TlsOptionsDto)
  tls?: TlsOptionsDto | null;

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "Cron (5 or 6 fields) or a macro such as @hourly; null follows CMDB_SYNC_SCHEDULE; 'off' opts out of scheduled syncs",
    example: '0 */6 * * *',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  sync_schedule?: string | null;

  @ApiPropertyOptional({ default: false, description: "vSphere: follow the vCenter's change feed (PropertyCollector) and keep hosts current within seconds" })
  @IsOptional()
  @IsBoolean()
  watch?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'IANA time zone of sync_schedule (UTC by default)', example: 'Asia/Shanghai' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  sync_timezone?: string | null;
}

/** What delta sync (vendor change notifications) needs of a secret. */
export class DeltaSyncFieldsDto extends SecretFieldsDto {
  @ApiPropertyOptional({ default: false, description: 'Accept vendor change notifications on this secret\'s webhooks' })
  @IsOptional()
  @IsBoolean()
  delta_sync?: boolean;

  @ApiPropertyOptional({ description: 'Huawei: SMN topics whose messages are accepted', example: ['urn:smn:cn-north-4:0a1b2c:cmdb-config'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^urn:smn:[a-z0-9-]+:[A-Za-z0-9]+:[A-Za-z0-9_-]{1,256}$/, { each: true, message: 'smn_topic_urns entries must look like urn:smn:<region>:<project_id>:<topic>' })
  smn_topic_urns?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Huawei: PEM certificates (or CAs) trusted to sign SMN messages, besides the shipped Huawei one' })
  @IsOptional()
  @IsString()
  @MaxLength(65536)
  @Matches(/-----BEGIN CERTIFICATE-----/, { message: 'smn_signing_certs must be a PEM certificate bundle' })
  smn_signing_certs?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      "Aliyun: EventBridge's signing certificate(s), PEM. When set, a CloudEvents delivery carrying EventBridge's own RSA signature (x-eventbridge-signature-v2) is accepted without the webhook secret, verified against these and never against a fetched certificate",
  })
  @IsOptional()
  @IsString()
  @MaxLength(65536)
  @Matches(/-----BEGIN CERTIFICATE-----/, { message: 'eventbridge_signing_certs must be a PEM certificate bundle' })
  eventbridge_signing_certs?: string | null;
}

export class CreateSecretDto extends DeltaSyncFieldsDto {
  @ApiProperty({ maxLength: 128 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name: string;

  @ApiProperty({ enum: VENDORS })
  @IsIn(VENDORS)
  vendor: Vendor;

  @ApiProperty({ description: 'Access key id, or the vSphere user name' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  api_key: string;

  @ApiProperty({ description: 'Access key secret, or the vSphere password. Write-only: never returned.', writeOnly: true })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  api_secret: string;
}

export class UpdateSecretDto extends DeltaSyncFieldsDto {
  @ApiPropertyOptional({ maxLength: 128 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  api_key?: string;

  @ApiPropertyOptional({ description: 'Leave out to keep the stored one', writeOnly: true })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  api_secret?: string;
}
