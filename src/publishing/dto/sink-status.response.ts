import { ApiProperty } from '@nestjs/swagger';
import { ResponseSchema } from '../../common/response-schema';

/** The state of one sink, as /readyz shows it. */
@ResponseSchema()
export class SinkStatusView {
  @ApiProperty({ type: 'integer', description: 'Revisions not yet acknowledged by the broker (whichever replica publishes)' })
  lag: number;

  @ApiProperty({ description: 'The last revision the broker acknowledged (a bigint, as a string)' })
  acknowledged_revision: string;

  @ApiProperty({ description: 'Whether this process holds the publishing lease' })
  publishing_here: boolean;

  @ApiProperty({ type: String, nullable: true })
  last_error: string | null;
}
