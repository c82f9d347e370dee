import { Controller, Get, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from './access.decorators';
import type { AuthenticatedRequest } from './actor';

@ApiTags('auth')
@RequireRole('viewer')
@Controller('whoami')
export class WhoamiController {
  @Get()
  @ApiOperation({ summary: 'The token presented: its name and role (the console shows what the role may do)' })
  whoami(@Req() request: AuthenticatedRequest) {
    const actor = request.actor!;
    return { name: actor.name, role: actor.role, token_id: actor.tokenId };
  }
}
