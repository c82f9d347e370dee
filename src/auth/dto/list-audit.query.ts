import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { AUDIT_ACTIONS, AUDIT_TARGET_KINDS, AuditAction, AuditTargetKind } from '../audit-entry.entity';

export class ListAuditQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ enum: AUDIT_TARGET_KINDS })
  @IsOptional()
  @IsIn(AUDIT_TARGET_KINDS)
  target_kind?: AuditTargetKind;

  @ApiPropertyOptional({ description: 'The id of a secret, token or sync job' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  target_id?: string;
}
