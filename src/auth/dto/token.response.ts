import { ApiProperty } from '@nestjs/swagger';
import { PageOf, ResponseSchema } from '../../common/response-schema';
import { ROLES, type Role } from '../roles';

/** A token as listed (tokenView): never its hash. */
@ResponseSchema()
export class TokenView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ description: 'The token\'s first characters, to recognise it' })
  prefix: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_used_at: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

/** A token just created: the token itself is in this answer only. */
@ResponseSchema()
export class CreatedTokenView extends TokenView {
  @ApiProperty({ description: 'Shown this once and never again', example: 'cmdb_...' })
  token: string;
}

/** The token a request presented. */
@ResponseSchema()
export class WhoamiView {
  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for CMDB_ADMIN_TOKEN' })
  token_id: string | null;
}

export const TokenPage = PageOf(TokenView, 'TokenPage');
