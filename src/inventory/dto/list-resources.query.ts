import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { FilterText, RegionFilter, SecretIdFilter, VendorFilter } from '../../common/dto/scope-filters';
import { PageQuery } from '../../common/pagination';
import { RESOURCE_STATUSES, ResourceStatus, Vendor } from '../../providers/provider';
import { RESOURCE_STATES, ResourceListing, ResourceStateFilter } from '../resource-listing';
import { SORTS } from '../resource-sort';

/** One value or a repeated parameter: always a list. */
const asList = ({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value);
const asBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
/** A blank search box searches nothing. */
const blankAsUnset = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);

/** Filters, search, sort and paging shared by hosts and databases. */
export class ListResourcesQuery extends PageQuery {
  @VendorFilter()
  vendor?: Vendor;

  @SecretIdFilter()
  secret_id?: string;

  @RegionFilter()
  region?: string;

  @ApiPropertyOptional({ example: 'cn-hangzhou-h' })
  @FilterText(64)
  zone?: string;

  @ApiPropertyOptional({ enum: RESOURCE_STATUSES, description: 'The normalised status' })
  @IsOptional()
  @IsIn(RESOURCE_STATUSES)
  status?: ResourceStatus;

  @ApiPropertyOptional({
    type: [String],
    description: '`key=value` (that tag with that value) or `key` (that tag, any value); repeat it: all must match',
    example: 'env=prod',
  })
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  @Matches(/^[^=\u0000][^\u0000]*$/, { each: true, message: 'each tag must be key=value or key, with a non-empty key' })
  tag?: string[];

  @ApiPropertyOptional({
    description: 'Keyword, case-insensitive: a substring of the name, or a prefix of the instance id or of any private or public IP',
    example: '10.0.3.',
  })
  @Transform(blankAsUnset)
  @FilterText(200)
  q?: string;

  @ApiPropertyOptional({ enum: RESOURCE_STATES, default: 'active', description: 'deleted: resources a full sync no longer found' })
  @IsOptional()
  @IsIn(RESOURCE_STATES)
  state: ResourceStateFilter = 'active';

  @ApiPropertyOptional({
    enum: SORTS,
    default: 'name',
    description:
      'A leading `-` sorts descending. `created_at` is the vendor\'s create time of the resource, `updated_at` the last time we saw it ' +
      'change (`last_changed_at`). A missing value (no create time, cpu or memory) sorts after every value ascending, before every ' +
      'value descending. Ties are broken by `id`, so paging is exact.',
  })
  @IsOptional()
  @IsIn(SORTS)
  sort = 'name';

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'true: the answer adds `total`, the number of matching resources (costs a count)' })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  count = false;
}

export class ListHostsQuery extends ListResourcesQuery {
  @ApiPropertyOptional({ example: 'ecs.g7.large' })
  @FilterText(64)
  instance_type?: string;
}

export class ListDatabasesQuery extends ListResourcesQuery {
  @ApiPropertyOptional({ example: 'MySQL' })
  @FilterText(32)
  engine?: string;
}

/** The listing a query asks for; `own` holds the kind's own equality filters. */
export function listingOf(query: ListResourcesQuery, own: Record<string, string | undefined>): ResourceListing {
  return {
    equals: { vendor: query.vendor, secret_id: query.secret_id, region: query.region, zone: query.zone, status: query.status, ...own },
    tags: query.tag ?? [],
    q: query.q,
    state: query.state,
    sort: query.sort,
    limit: query.limit,
    cursor: query.cursor,
  };
}
