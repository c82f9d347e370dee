import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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

  readonly watchers = new Gauge({
    name: 'cmdb_watchers',
    help: 'Open GET /watch streams',
    registers: [this.registry],
  });

  readonly watchEventsSent = new Counter({
    name: 'cmdb_watch_events_sent_total',
    help: 'Change events written to watch streams (one per event and watcher)',
    registers: [this.registry],
  });

  readonly watchLag = new Histogram({
    name: 'cmdb_watch_lag_seconds',
    help: "From a change's append (just before its commit) to its fan-out to this process's watchers",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly retentionRuns = new Counter({
    name: 'cmdb_retention_runs_total',
    help: 'Runs of a background retention (change log, tombstones, inbox events), by table and outcome',
    labelNames: ['table', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly retentionPruned = new Counter({
    name: 'cmdb_retention_pruned_total',
    help: 'Rows removed by a background retention, by table',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  readonly watchUpdates = new Counter({
    name: 'cmdb_vsphere_feed_updates_total',
    help: 'Items applied from vendor change feeds (vSphere watch), by vendor and action',
    labelNames: ['vendor', 'action'] as const,
    registers: [this.registry],
  });

  readonly watchRestarts = new Counter({
    name: 'cmdb_vsphere_feed_restarts_total',
    help: 'Change feeds started over (relisted), by vendor and the error that broke them',
    labelNames: ['vendor', 'code'] as const,
    registers: [this.registry],
  });

  readonly watchState = new Gauge({
    name: 'cmdb_vsphere_feed_state',
    help: 'Change feeds this process follows, 1 for the state each is in',
    labelNames: ['secret_id', 'state'] as const,
    registers: [this.registry],
  });

  readonly watchLastUpdate = new Gauge({
    name: 'cmdb_vsphere_feed_last_update_timestamp_seconds',
    help: 'When a change feed this process follows last applied changes (Unix time)',
    labelNames: ['secret_id'] as const,
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
