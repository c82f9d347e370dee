import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { JOB_STATUSES, JOB_TRIGGERS, JobStatus, JobTrigger } from '../sync-job.entity';

export class ListSyncJobsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  secret_id?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ enum: JOB_TRIGGERS })
  @IsOptional()
  @IsIn(JOB_TRIGGERS)
  trigger?: JobTrigger;
}

export const ITEM_ACTIONS = ['created', 'updated', 'unchanged', 'deleted', 'failed'] as const;

export class ListJobItemsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ITEM_ACTIONS })
  @IsOptional()
  @IsIn(ITEM_ACTIONS)
  action?: (typeof ITEM_ACTIONS)[number];
}
