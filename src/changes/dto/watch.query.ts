import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ChangeFilterQuery } from './change-filter.query';

const asBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class WatchQuery extends ChangeFilterQuery {
  @ApiPropertyOptional({
    minimum: 0,
    description: "Send every change after this revision (a list's `resource_version`); default: from now. A `Last-Event-ID` header (an SSE client's reconnect) takes precedence.",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  resource_version?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'First the current state as ADDED events, then a BOOKMARK with `initial_events_end: true`, then every change after it',
  })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  send_initial_events = false;
}
