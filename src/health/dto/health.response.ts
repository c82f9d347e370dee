import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ResponseSchema } from '../../common/response-schema';
import { SinkStatusView } from '../../publishing/dto/sink-status.response';

@ResponseSchema()
export class LivenessView {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

@ResponseSchema()
export class DatabaseStatusView {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  @ApiProperty({ enum: ['embedded', 'postgres'] })
  kind: 'embedded' | 'postgres';

  @ApiPropertyOptional({ type: 'integer', description: 'How long `SELECT 1` took (when up)' })
  latency_ms?: number;
}

@ResponseSchema()
export class ReadinessView {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: 'ok' | 'unavailable';

  @ApiProperty({ type: DatabaseStatusView })
  database: DatabaseStatusView;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(SinkStatusView) },
    description: 'Each configured broker (MQTT, NATS) by name: its lag; a broker that is down never makes the server unready',
  })
  publishing?: Record<string, SinkStatusView>;
}
