import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { VENDORS, Vendor } from '../../providers/provider';

export class ListSecretsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: VENDORS })
  @IsOptional()
  @IsIn(VENDORS)
  vendor?: Vendor;
}
