import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/error-body';
import { RequireRole } from './access.decorators';
import { AuditService } from './audit.service';
import { AuditEntryPage } from './dto/audit-entry.response';
import { ListAuditQuery } from './dto/list-audit.query';

@ApiTags('auth')
@RequireRole('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit log, newest first: who created, changed or deleted a secret or token, and who triggered which sync' })
  @ApiOkResponse({ type: AuditEntryPage })
  @ApiErrors([400])
  list(@Query() query: ListAuditQuery) {
    return this.audit.list(query);
  }
}
