import { ApiProperty } from '@nestjs/swagger';
import { PageOf, ResponseSchema } from '../../common/response-schema';
import { AUDIT_ACTIONS, AUDIT_TARGET_KINDS, type AuditAction, type AuditTargetKind } from '../audit-entry.entity';

@ResponseSchema()
export class AuditActorView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for CMDB_ADMIN_TOKEN and the server itself' })
  token_id: string | null;

  @ApiProperty({ description: 'The token\'s name, or `system`' })
  name: string;
}

@ResponseSchema()
export class AuditTargetView {
  @ApiProperty({ enum: AUDIT_TARGET_KINDS })
  kind: AuditTargetKind;

  @ApiProperty()
  id: string;
}

/** One audit log entry (auditEntryView). */
@ResponseSchema()
export class AuditEntryView {
  @ApiProperty({ description: 'Its place in the log (a bigint, as a string)' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: AuditActorView })
  actor: AuditActorView;

  @ApiProperty({ enum: AUDIT_ACTIONS })
  action: AuditAction;

  @ApiProperty({ type: AuditTargetView })
  target: AuditTargetView;

  @ApiProperty({ type: String, nullable: true })
  request_id: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Names, scopes, changed field names: never a credential' })
  details: Record<string, unknown>;
}

export const AuditEntryPage = PageOf(AuditEntryView, 'AuditEntryPage');
