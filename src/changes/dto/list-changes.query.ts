import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ChangeType } from '../change-log';
import type { ChangeFilter } from '../change-record';
import { ChangeFilterQuery, filterOf } from './change-filter.query';

export const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;

export class ListChangesQuery extends ChangeFilterQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'A revision: the changes after it (the previous page\'s `next_after`, or a list\'s `resource_version`)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional({ enum: CHANGE_TYPES })
  @IsOptional()
  @IsIn(CHANGE_TYPES)
  change_type?: ChangeType;
}

export function changeFilterOf(query: ListChangesQuery): ChangeFilter {
  return { ...filterOf(query), changeType: query.change_type };
}
