import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from './access.decorators';
import type { AuthenticatedRequest } from './actor';
import { WhoamiView } from './dto/token.response';

@ApiTags('auth')
@RequireRole('viewer')
@Controller('whoami')
export class WhoamiController {
  @Get()
  @ApiOperation({ summary: 'The token presented: its name and role (the console shows what the role may do)' })
  @ApiOkResponse({ type: WhoamiView })
  whoami(@Req() request: AuthenticatedRequest): WhoamiView {
    const actor = request.actor!;
    return { name: actor.name, role: actor.role, token_id: actor.tokenId };
  }
}
