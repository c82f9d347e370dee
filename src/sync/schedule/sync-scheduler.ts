import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { EnvironmentVariables } from '../../config/environment';
import { SecretChanges } from '../../secrets/secret-changes';
import type { SecretEntity } from '../../secrets/secret.entity';
import { SecretsService } from '../../secrets/secrets.service';
import { effectiveSchedule, latestSlotBetween, nextSlot, scheduleProblem } from '../../secrets/sync-schedule';
import { JobQueue } from './job-queue';

/** How often schedules are re-read, so a change made through another replica takes effect here too. */
const RECONCILE_MS = 30_000;
/** A cron tick names its slot by looking back this far: more than a tick's lag, less than the shortest period (60 s). */
const TICK_LOOKBACK_MS = 30_000;

/**
 * One cron job per scheduled secret in @nestjs/schedule's SchedulerRegistry.
 * A tick enqueues the slot's jobs; the queue's unique slot keys make every
 * replica's tick for one slot add them once. At start-up, a slot missed while
 * no server ran is enqueued once (the latest), not once per missed slot.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyncScheduler.name);
  private readonly registered = new Map<string, string>();
  private readonly defaultSchedule: string | null;
  private reconcileTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly secrets: SecretsService,
    private readonly queue: JobQueue,
    private readonly changes: SecretChanges,
    environment: EnvironmentVariables,
  ) {
    const problem = scheduleProblem(environment.CMDB_SYNC_SCHEDULE, null);
    if (problem) throw new Error(`CMDB_SYNC_SCHEDULE: ${problem.replace(/^sync_schedule /, '')}`);
    this.defaultSchedule = effectiveSchedule(null, environment.CMDB_SYNC_SCHEDULE);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reconcile(new Date(), { catchUp: true });
    this.unsubscribe = this.changes.subscribe((secretId, secret) => (secret ? this.apply(secret) : this.unregister(secretId)));
    this.reconcileTimer = setInterval(() => void this.reconcile(new Date(), { catchUp: false }), RECONCILE_MS);
    this.reconcileTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.reconcileTimer);
    this.unsubscribe?.();
    for (const secretId of this.registered.keys()) this.unregister(secretId);
  }

  /** The cron job of a secret, if it is scheduled in this process. */
  cronJob(secretId: string): CronJob | null {
    return this.registered.has(secretId) ? this.registry.getCronJob(jobName(secretId)) : null;
  }

  /** What a cron tick at `at` does: enqueue the slot that just came due. Public so tests can drive time. */
  async tick(secretId: string, at: Date = new Date()): Promise<string[]> {
    const secret = await this.secrets.find(secretId);
    const schedule = secret && this.scheduleOf(secret);
    if (!secret || !schedule) return [];
    const slot = nextSlot(schedule, secret.syncTimezone, new Date(at.getTime() - TICK_LOOKBACK_MS));
    if (slot.getTime() > at.getTime() + 1_000) return [];
    return this.queue.enqueue(secret, 'schedule', slot);
  }

  /** Registers every secret's schedule; with catchUp, enqueues a slot missed while down. */
  async reconcile(now: Date, options: { catchUp: boolean }): Promise<void> {
    try {
      const secrets = await this.secrets.all();
      const present = new Set(secrets.map((secret) => secret.id));
      for (const secretId of [...this.registered.keys()]) if (!present.has(secretId)) this.unregister(secretId);
      for (const secret of secrets) {
        const schedule = this.apply(secret);
        if (!schedule || !options.catchUp) continue;
        const missed = latestSlotBetween(schedule, secret.syncTimezone, secret.lastSlotAt ?? secret.createdAt, now);
        if (missed) {
          const jobs = await this.queue.enqueue(secret, 'schedule', missed);
          if (jobs.length > 0) this.logger.log(`secret ${secret.id}: enqueued the slot of ${missed.toISOString()} missed while down`);
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, 'reading the sync schedules failed');
    }
  }

  /** Makes the registered cron job match the secret's schedule; returns the schedule. */
  private apply(secret: SecretEntity): string | null {
    const schedule = this.scheduleOf(secret);
    const signature = schedule ? `${schedule}|${secret.syncTimezone ?? 'UTC'}` : null;
    if (this.registered.get(secret.id) === signature) return schedule;
    this.unregister(secret.id);
    if (schedule && signature) {
      const job = CronJob.from({
        cronTime: schedule,
        timeZone: secret.syncTimezone ?? 'UTC',
        start: true,
        onTick: () => void this.tick(secret.id).catch((error: unknown) => this.logger.error({ err: error }, `scheduled sync of ${secret.id} failed to enqueue`)),
      });
      this.registry.addCronJob(jobName(secret.id), job);
      this.registered.set(secret.id, signature);
    }
    return schedule;
  }

  private unregister(secretId: string): void {
    if (!this.registered.delete(secretId)) return;
    // On shutdown, @nestjs/schedule may have cleared its registry first.
    if (this.registry.doesExist('cron', jobName(secretId))) this.registry.deleteCronJob(jobName(secretId));
  }

  private scheduleOf(secret: SecretEntity): string | null {
    return secret.enabled ? effectiveSchedule(secret.syncSchedule, this.defaultSchedule) : null;
  }
}

function jobName(secretId: string): string {
  return `sync:${secretId}`;
}
