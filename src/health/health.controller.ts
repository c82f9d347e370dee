import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorators';
import { DATABASE_HANDLE } from '../database/database.tokens';
import type { DatabaseHandle } from '../database/database-handle';
import { SinkStatusView } from '../publishing/dto/sink-status.response';
import { PublishingService } from '../publishing/publishing.service';
import { DatabaseStatusView, LivenessView, ReadinessView } from './dto/health.response';

const READINESS_TIMEOUT_MS = 2_000;

@ApiTags('health')
@ApiExtraModels(SinkStatusView)
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    private readonly publishing: PublishingService,
  ) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessView })
  liveness(): LivenessView {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: the database answers' })
  @ApiOkResponse({ type: ReadinessView })
  @ApiServiceUnavailableResponse({ type: ReadinessView, description: 'The database does not answer' })
  async readiness(@Res({ passthrough: true }) response: Response): Promise<ReadinessView> {
    const started = Date.now();
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), READINESS_TIMEOUT_MS).unref()),
      ]);
      const database: DatabaseStatusView = { status: 'up', kind: this.database.kind, latency_ms: Date.now() - started };
      // A broker that is down delays publishing, not the API: its lag is a detail, never a reason to be unready.
      const publishing = await this.publishing.status().catch(() => null);
      return { status: 'ok', database, ...(publishing ? { publishing } : {}) };
    } catch {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable', database: { status: 'down', kind: this.database.kind } };
    }
  }
}
