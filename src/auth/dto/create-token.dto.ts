import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { IsIsoTimestamp, OptionalNotNull } from '../../common/validation';
import { ROLES, Role } from '../roles';

export class CreateTokenDto {
  @ApiProperty({ description: 'Who or what holds the token, as the audit log will name it', maxLength: 128 })
  @IsString()
  @Length(1, 128)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'ISO 8601 time after which the token no longer works; none: it never expires' })
  @OptionalNotNull()
  @IsIsoTimestamp()
  expires_at?: string;
}
