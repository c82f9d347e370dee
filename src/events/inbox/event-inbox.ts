import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventStatus, InboxEvent, NewInboxEvent, StoredEvent } from './inbox-event';

interface InboxRow {
  id: string;
  seq: string;
  secret_id: string;
  vendor: InboxEvent['vendor'];
  channel: InboxEvent['channel'];
  message_key: string;
  event_type: string;
  resource_type: InboxEvent['resourceType'];
  region: string | null;
  instance_id: string | null;
  action: InboxEvent['action'];
  observed_at: Date | null;
  payload: Record<string, unknown>;
  received_at: Date;
  status: EventStatus;
  attempts: number;
  reason: string | null;
  applied_at: Date | null;
}

export interface EventFilter {
  status?: EventStatus;
  secretId?: string;
  vendor?: string;
  instanceId?: string;
  /** Events stored before this sequence number (the page cursor). */
  beforeSeq?: string;
  limit: number;
}

/** The inbox table: verified notifications, stored before they are applied. */
@Injectable()
export class EventInbox {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** For an outcome recorded outside an apply's transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Stores one delivery's events in one statement; a message id stored before
   * is a duplicate (answered with the first one's id), not an error. An event
   * of a type we do not track is stored `ignored` at once: acknowledged and counted.
   */
  async store(events: NewInboxEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const rows = events.map((event) => ({
      secret_id: event.secretId,
      vendor: event.vendor,
      channel: event.channel,
      message_key: event.messageKey,
      event_type: event.eventType,
      resource_type: event.resourceType,
      region: event.region,
      instance_id: event.instanceId,
      action: event.action,
      observed_at: event.observedAt?.toISOString() ?? null,
      payload: event.payload,
      status: event.action === null ? 'ignored' : 'pending',
      reason: event.action === null ? 'a type delta sync does not track' : null,
    }));
    const inserted: { id: string; message_key: string }[] = await this.dataSource.query(
      `INSERT INTO inbox_events (secret_id, vendor, channel, message_key, event_type, resource_type, region, instance_id, action, observed_at, payload, status, reason, applied_at)
       SELECT e.secret_id, e.vendor, e.channel, e.message_key, e.event_type, e.resource_type, e.region, e.instance_id, e.action, e.observed_at, e.payload, e.status, e.reason,
              CASE WHEN e.status = 'ignored' THEN now() END
         FROM json_to_recordset($1::json) AS e(secret_id uuid, vendor text, channel text, message_key text, event_type text, resource_type text,
              region text, instance_id text, action text, observed_at timestamptz, payload jsonb, status text, reason text)
       ON CONFLICT (secret_id, message_key) DO NOTHING
       RETURNING id, message_key`,
      [JSON.stringify(rows)],
    );
    const fresh = new Map(inserted.map((row) => [row.message_key, row.id]));
    const repeated = events.filter((event) => !fresh.has(event.messageKey));
    const earlier = new Map<string, string>();
    if (repeated.length > 0) {
      const found: { id: string; message_key: string }[] = await this.dataSource.query(
        `SELECT id, message_key FROM inbox_events WHERE secret_id = $1 AND message_key = ANY($2::text[])`,
        [events[0].secretId, repeated.map((event) => event.messageKey)],
      );
      for (const row of found) earlier.set(row.message_key, row.id);
    }
    const seen = new Set<string>();
    return events.map((event) => {
      const firstInDelivery = !seen.has(event.messageKey);
      seen.add(event.messageKey);
      const id = fresh.get(event.messageKey);
      if (id && firstInDelivery) return { id, messageKey: event.messageKey, duplicate: false };
      return { id: id ?? earlier.get(event.messageKey) ?? '', messageKey: event.messageKey, duplicate: true };
    });
  }

  /**
   * Claims up to `limit` due events for `leaseMs`, oldest first, skipping any
   * whose resource has an older event still pending: a resource's events apply
   * in the order they were received. A claim that outlives a killed server
   * expires and the event is applied again (the apply rule makes that safe).
   */
  async claim(limit: number, leaseMs: number): Promise<InboxEvent[]> {
    const rows: [InboxRow[], number] = await this.dataSource.query(
      `UPDATE inbox_events AS e
          SET attempts = e.attempts + 1, next_attempt_at = now() + ($2::int * interval '1 millisecond')
        WHERE e.id IN (
          SELECT c.id FROM inbox_events c
           WHERE c.status = 'pending' AND c.next_attempt_at <= now()
             AND NOT EXISTS (
               SELECT 1 FROM inbox_events p
                WHERE p.status = 'pending' AND p.secret_id = c.secret_id AND p.instance_id = c.instance_id
                  AND p.resource_type = c.resource_type AND p.seq < c.seq)
           ORDER BY c.seq
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING e.*`,
      [limit, leaseMs],
    );
    return rows[0].map(toEvent).sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  /** Records an event's outcome, in the transaction that applied it when there is one. */
  async finish(manager: EntityManager, id: string, status: Exclude<EventStatus, 'pending'>, reason: string | null): Promise<void> {
    await manager.query(`UPDATE inbox_events SET status = $2, reason = $3, applied_at = now() WHERE id = $1`, [id, status, reason]);
  }

  /** Records the outcomes of a batch in one statement, in the transaction that applied them. */
  async finishAll(manager: EntityManager, outcomes: { id: string; status: Exclude<EventStatus, 'pending'>; reason: string | null }[]): Promise<void> {
    if (outcomes.length === 0) return;
    await manager.query(
      `UPDATE inbox_events AS e SET status = o.status, reason = o.reason, applied_at = now()
         FROM json_to_recordset($1::json) AS o(id uuid, status text, reason text)
        WHERE e.id = o.id`,
      [JSON.stringify(outcomes)],
    );
  }

  /** A transient failure: the event is tried again after `delayMs`. */
  async retryLater(id: string, delayMs: number, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE inbox_events SET next_attempt_at = now() + ($2::int * interval '1 millisecond'), reason = $3 WHERE id = $1 AND status = 'pending'`,
      [id, delayMs, reason],
    );
  }

  /** Forgets at most `limit` events finished (applied, stale, ignored, failed) before `cutoff`; pending ones stay whatever their age. */
  async pruneFinished(cutoff: Date, limit: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM inbox_events
        WHERE id IN (SELECT id FROM inbox_events WHERE status <> 'pending' AND applied_at < $1 ORDER BY applied_at LIMIT $2)`,
      [cutoff, limit],
    );
    return deleted;
  }

  /** Gives claimed events back at once (a clean shutdown): the next server applies them without waiting for the lease. */
  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE inbox_events SET next_attempt_at = now() WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [ids]);
  }

  async list(filter: EventFilter): Promise<(InboxEvent & { seq: string })[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.secretId) add('secret_id = ?', filter.secretId);
    if (filter.vendor) add('vendor = ?', filter.vendor);
    if (filter.instanceId) add('instance_id = ?', filter.instanceId);
    if (filter.beforeSeq) add('seq < ?::bigint', filter.beforeSeq);
    params.push(filter.limit);
    const rows: InboxRow[] = await this.dataSource.query(
      `SELECT * FROM inbox_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEvent);
  }

  async get(id: string): Promise<InboxEvent | null> {
    const rows: InboxRow[] = await this.dataSource.query(`SELECT * FROM inbox_events WHERE id = $1`, [id]);
    return rows.length ? toEvent(rows[0]) : null;
  }
}

function toEvent(row: InboxRow): InboxEvent & { seq: string } {
  return {
    id: row.id,
    seq: String(row.seq),
    secretId: row.secret_id,
    vendor: row.vendor,
    channel: row.channel,
    messageKey: row.message_key,
    eventType: row.event_type,
    resourceType: row.resource_type,
    region: row.region,
    instanceId: row.instance_id,
    action: row.action,
    observedAt: row.observed_at,
    payload: row.payload,
    receivedAt: row.received_at,
    status: row.status,
    attempts: row.attempts,
    reason: row.reason,
    appliedAt: row.applied_at,
  };
}
