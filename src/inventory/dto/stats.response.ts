import { ApiProperty } from '@nestjs/swagger';
import { ResponseSchema } from '../../common/response-schema';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export type Counts = Record<string, number>;

/** Counts of active resources, by each grouping. */
@ResponseSchema()
export class KindStatsView {
  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ ...COUNTS, description: 'Per vendor' })
  by_vendor: Counts;

  @ApiProperty({ ...COUNTS, description: 'Per region' })
  by_region: Counts;

  @ApiProperty({ ...COUNTS, description: 'Per normalised status' })
  by_status: Counts;
}

@ResponseSchema()
export class ResourceTypeCountsView {
  @ApiProperty({ type: 'integer' })
  host: number;

  @ApiProperty({ type: 'integer' })
  rds: number;
}

@ResponseSchema()
export class ResourceTypeStatsView {
  @ApiProperty({ type: KindStatsView })
  host: KindStatsView;

  @ApiProperty({ type: KindStatsView })
  rds: KindStatsView;
}

/** GET /stats: overall, and per resource type. */
@ResponseSchema()
export class InventoryStatsView extends KindStatsView {
  @ApiProperty({ type: ResourceTypeCountsView })
  by_resource_type: ResourceTypeCountsView;

  @ApiProperty({ type: ResourceTypeStatsView })
  resource_types: ResourceTypeStatsView;
}
