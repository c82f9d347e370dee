import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
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
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}
