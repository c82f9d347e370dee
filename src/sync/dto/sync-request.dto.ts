import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull } from '../../common/validation';
import { RESOURCE_TYPES, ResourceType } from '../../providers/provider';

/** What to sync: the scope's region and resource type. */
export class SyncScopeDto {
  @ApiPropertyOptional({ description: 'Required for cloud vendors; must be in the secret\'s allow_regions', example: 'cn-hangzhou' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'region must be a region id like cn-hangzhou' })
  region?: string;

  @ApiPropertyOptional({ enum: RESOURCE_TYPES, default: 'host' })
  @OptionalNotNull()
  @IsIn(RESOURCE_TYPES)
  resource_type?: ResourceType;
}

/** Item details a sync answer carries by default, and at most: the rest are paged with GET /sync-jobs/:id/items. */
export const DEFAULT_DETAILS_LIMIT = 1_000;
export const MAX_DETAILS_LIMIT = 100_000;

export const DETAIL_LEVELS = ['all', 'changed', 'failed', 'none'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

/** The scope may come as query parameters too; the body wins. */
export class SyncQueryDto extends SyncScopeDto {
  @ApiPropertyOptional({ enum: DETAIL_LEVELS, default: 'all', description: 'Which items the answer lists' })
  @OptionalNotNull()
  @IsIn(DETAIL_LEVELS)
  details?: DetailLevel;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_DETAILS_LIMIT,
    default: DEFAULT_DETAILS_LIMIT,
    description: 'At most this many details; the answer says when it cut them (details_truncated) and where to page them all (details_next)',
  })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_DETAILS_LIMIT)
  details_limit?: number;

  @ApiPropertyOptional({ default: true, description: 'false: answer 202 with the job id at once' })
  @OptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  wait?: boolean;
}
