import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { VENDORS, Vendor } from '../../providers/provider';
import { EVENT_STATUSES, EventStatus } from '../inbox/inbox-event';

export class ListEventsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EVENT_STATUSES })
  @IsOptional()
  @IsIn(EVENT_STATUSES)
  status?: EventStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  secret_id?: string;

  @ApiPropertyOptional({ enum: VENDORS })
  @IsOptional()
  @IsIn(VENDORS)
  vendor?: Vendor;

  @ApiPropertyOptional({ description: "The vendor's instance id the event names" })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  instance_id?: string;
}
