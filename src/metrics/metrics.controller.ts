import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { MetricsService } from './metrics.service';

@ApiExcludeController()
// Route names, rates and sync counts per vendor are about the estate: a scraper gets a viewer token.
@RequireRole('viewer')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
