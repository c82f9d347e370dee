import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Matches, MaxLength } from 'class-validator';
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

export const DETAIL_LEVELS = ['all', 'changed', 'failed', 'none'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

/** The scope may come as query parameters too; the body wins. */
export class SyncQueryDto extends SyncScopeDto {
  @ApiPropertyOptional({ enum: DETAIL_LEVELS, default: 'all', description: 'Which items the answer lists' })
  @OptionalNotNull()
  @IsIn(DETAIL_LEVELS)
  details?: DetailLevel;

  @ApiPropertyOptional({ default: true, description: 'false: answer 202 with the job id at once' })
  @OptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  wait?: boolean;
}
