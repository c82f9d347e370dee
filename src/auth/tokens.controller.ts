import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../common/pagination';
import { ApiErrors } from '../common/error-body';
import { parseUuid } from '../common/validation';
import { RequireRole } from './access.decorators';
import { CreateTokenDto } from './dto/create-token.dto';
import { CreatedTokenView, TokenPage } from './dto/token.response';
import { TokensService } from './tokens.service';

@ApiTags('auth')
@RequireRole('admin')
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API token; the answer holds the token itself, shown this once and never again' })
  @ApiCreatedResponse({ type: CreatedTokenView })
  @ApiErrors([400])
  create(@Body() dto: CreateTokenDto): Promise<CreatedTokenView> {
    return this.tokens.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List API tokens (name, role, prefix, expiry, last use), oldest first' })
  @ApiOkResponse({ type: TokenPage })
  @ApiErrors([400])
  list(@Query() query: PageQuery) {
    return this.tokens.list(query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API token: it stops working at once',
    description: 'At once on the server that answers this; other server processes on the same database stop accepting it within 10 s (each believes a token it has found for that long).',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors([400, 404])
  async remove(@Param('id', parseUuid('id')) id: string): Promise<void> {
    await this.tokens.remove(id);
  }
}
