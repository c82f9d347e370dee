import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ResponseSchema } from '../../common/response-schema';
import { VENDORS, type Vendor } from '../../providers/provider';
import { VendorErrorView } from './sync-job.response';

/** Whether a secret's credential works in a region. */
@ResponseSchema()
export class VerifyResultView {
  @ApiProperty()
  ok: boolean;

  @ApiProperty({ enum: VENDORS })
  vendor: Vendor;

  @ApiProperty({ type: String, nullable: true, description: 'null for vSphere' })
  region: string | null;

  @ApiProperty({ type: 'integer' })
  latency_ms: number;

  @ApiPropertyOptional({ type: VendorErrorView, description: 'With ok: false, the vendor\'s answer' })
  error?: VendorErrorView;
}
