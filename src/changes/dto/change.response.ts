import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ResponseSchema } from '../../common/response-schema';
import { DatabaseView, HostView } from '../../inventory/dto/resource.response';
import { RESOURCE_TYPES, VENDORS, type ResourceType } from '../../providers/provider';
import type { ChangeType } from '../change-log';

export const CHANGE_TYPES: ChangeType[] = ['created', 'updated', 'deleted'];

/** A column's value: text, a whole number, a list of text, tags, or null. */
const COLUMN_VALUE = {
  nullable: true,
  anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }],
};

/** One changed column: its value before and after. */
@ResponseSchema()
export class FieldChangeView {
  @ApiProperty(COLUMN_VALUE)
  old: unknown;

  @ApiProperty(COLUMN_VALUE)
  new: unknown;
}

/** Each changed column with its old and new value; null on creation. */
export const CHANGED_FIELDS = {
  type: 'object',
  nullable: true,
  additionalProperties: { $ref: getSchemaPath(FieldChangeView) },
  description: 'Each changed column with its old and new value; null on creation',
} as const;

/** One change of the log, as GET /changes answers it (changeJson). */
@ResponseSchema()
@ApiExtraModels(FieldChangeView, HostView, DatabaseView)
export class ChangeLogEntryView {
  @ApiProperty({ type: 'integer', description: 'Global, gap-free order of changes' })
  revision: number;

  @ApiProperty({ format: 'date-time' })
  changed_at: string;

  @ApiProperty({ enum: RESOURCE_TYPES })
  kind: ResourceType;

  @ApiProperty({ format: 'uuid' })
  resource_id: string;

  @ApiProperty({ enum: VENDORS })
  vendor: string;

  @ApiProperty()
  instance_id: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  secret_id: string | null;

  @ApiProperty({ type: String, nullable: true })
  region: string | null;

  @ApiProperty({ enum: CHANGE_TYPES })
  change_type: ChangeType;

  @ApiProperty(CHANGED_FIELDS)
  changed_fields: Record<string, FieldChangeView> | null;

  @ApiProperty({ enum: ['sync', 'event'], description: 'A full sync (job_id) or a vendor notification (event_id)' })
  trigger: 'sync' | 'event';

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  job_id: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  event_id: string | null;

  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(HostView) }, { $ref: getSchemaPath(DatabaseView) }],
    nullable: true,
    description: 'The resource right after the change (for a delete, its last state), as listed; null on changes older than the feed',
  })
  object: object | null;
}

/** A page of the change log. */
@ResponseSchema()
export class ChangeLogPage {
  @ApiProperty({ type: [ChangeLogEntryView] })
  items: ChangeLogEntryView[];

  @ApiProperty({ type: 'integer', nullable: true, description: 'Pass back as `after` for the next page; null on the last page' })
  next_after: number | null;

  @ApiProperty({ type: 'integer', description: 'The latest revision when the page was read: resume or watch from it' })
  latest_revision: number;
}
