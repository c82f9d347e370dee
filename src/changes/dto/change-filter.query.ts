import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { RegionFilter, SecretIdFilter, VendorFilter } from '../../common/dto/scope-filters';
import { RESOURCE_TYPES, ResourceType, Vendor } from '../../providers/provider';
import type { ChangeFilter } from '../change-record';

/** The filters shared by GET /changes and GET /watch. */
export class ChangeFilterQuery {
  @ApiPropertyOptional({ enum: RESOURCE_TYPES, description: '`host` or `rds`' })
  @IsOptional()
  @IsIn(RESOURCE_TYPES)
  kind?: ResourceType;

  @VendorFilter()
  vendor?: Vendor;

  @SecretIdFilter()
  secret_id?: string;

  @RegionFilter()
  region?: string;
}

export function filterOf(query: ChangeFilterQuery): ChangeFilter {
  return { kind: query.kind, vendor: query.vendor, secretId: query.secret_id, region: query.region };
}
