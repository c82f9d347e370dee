import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per app (tests boot several apps in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'cmdb_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'cmdb_http_request_duration_seconds',
    help: 'HTTP request latency, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly syncJobs = new Counter({
    name: 'cmdb_sync_jobs_total',
    help: 'Sync jobs finished, by vendor, resource type, trigger and status',
    labelNames: ['vendor', 'resource_type', 'trigger', 'status'] as const,
    registers: [this.registry],
  });

  readonly syncItems = new Counter({
    name: 'cmdb_sync_items_total',
    help: 'Items processed by syncs, by vendor, resource type and action',
    labelNames: ['vendor', 'resource_type', 'action'] as const,
    registers: [this.registry],
  });

  readonly syncDuration = new Histogram({
    name: 'cmdb_sync_duration_seconds',
    help: 'Wall time of finished sync jobs',
    labelNames: ['vendor', 'resource_type'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  readonly deltaEvents = new Counter({
    name: 'cmdb_delta_events_total',
    help: 'Vendor notifications stored and applied, by vendor and outcome (stored, duplicate, applied, stale, ignored, failed)',
    labelNames: ['vendor', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookRejections = new Counter({
    name: 'cmdb_webhook_rejections_total',
    help: 'Webhook deliveries refused (nothing stored), by channel and reason',
    labelNames: ['channel', 'reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'cmdb_' });
  }
}
