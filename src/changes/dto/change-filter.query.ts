import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { RESOURCE_TYPES, ResourceType, VENDORS, Vendor } from '../../providers/provider';
import type { ChangeFilter } from '../change-record';

/** The filters shared by GET /changes and GET /watch. */
export class ChangeFilterQuery {
  @ApiPropertyOptional({ enum: RESOURCE_TYPES, description: '`host` or `rds`' })
  @IsOptional()
  @IsIn(RESOURCE_TYPES)
  kind?: ResourceType;

  @ApiPropertyOptional({ enum: VENDORS })
  @IsOptional()
  @IsIn(VENDORS)
  vendor?: Vendor;

  @ApiPropertyOptional({ description: 'The secret (cloud account) the resource was synced with' })
  @IsOptional()
  @IsUUID()
  secret_id?: string;

  @ApiPropertyOptional({ example: 'cn-hangzhou' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[^\u0000]*$/, { message: 'region must not contain NUL characters' })
  region?: string;
}

export function filterOf(query: ChangeFilterQuery): ChangeFilter {
  return { kind: query.kind, vendor: query.vendor, secretId: query.secret_id, region: query.region };
}
