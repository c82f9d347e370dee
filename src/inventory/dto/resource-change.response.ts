import { ApiProperty } from '@nestjs/swagger';
import { CHANGE_TYPES, CHANGED_FIELDS, FieldChangeView } from '../../changes/dto/change.response';
import type { ChangeType } from '../../changes/change-log';
import { PageOf, ResponseSchema } from '../../common/response-schema';

/** One change of a resource's history (changeView). */
@ResponseSchema()
export class ResourceChangeView {
  @ApiProperty({ type: 'integer', description: 'Its revision in the change log (global order)' })
  revision: number;

  @ApiProperty({ enum: CHANGE_TYPES })
  change_type: ChangeType;

  @ApiProperty({ format: 'date-time' })
  changed_at: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The sync job that made it; null for a vendor notification' })
  job_id: string | null;

  @ApiProperty(CHANGED_FIELDS)
  changed_fields: Record<string, FieldChangeView> | null;
}

export const ResourceChangePage = PageOf(ResourceChangeView, 'ResourceChangePage');
