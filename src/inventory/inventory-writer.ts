import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { appendChanges, ChangeOrigin, ResourceChange } from '../changes/change-log';
import type { ResourceRecord } from '../providers/provider';
import { canonicalJson, recordChecksum } from './checksum';
import { ColumnType, ResourceKind, rowProblem } from './resource-columns';
import { tagTerms } from './tag-terms';
import { leaveTombstones, ObservedDeletion, tombstoneTimes } from './tombstones';

/** A record as listed, with the time its page was requested. */
export interface ListedItem {
  record: ResourceRecord;
  queryAt: Date;
  /** What made this item's change, when it is not the batch's (each vendor event of a batch logs its own id). */
  origin?: ChangeOrigin;
}

export type ItemAction = 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed';

export interface ItemResult {
  instance_id: string | null;
  name: string | null;
  action: ItemAction;
  success: boolean;
  message: string | null;
}

/**
 * The caller's own writes in a batch's transaction (a sync job's counters),
 * given the batch's results: run just before the change log append, which
 * must be the transaction's last statement (see appendChanges).
 */
export type BeforeChangeLog = (results: ItemResult[]) => Promise<void>;

/** Where a full sync's deletions apply: the secret's resources of one kind, in one region (null: all). */
export interface DeletionScope {
  secretId: string;
  region: string | null;
}

const NEWER_STORED = 'newer data is already stored';
const NEWER_DELETE = 'a newer delete is already stored';

/** Whether an item was left alone because what is stored is newer than it (a stale event or page). */
export function isStale(result: ItemResult): boolean {
  return result.action === 'unchanged' && [NEWER_STORED, NEWER_DELETE].includes(result.message ?? '');
}

const SQL_TYPE: Record<ColumnType, string> = { text: 'text', int: 'integer', timestamptz: 'timestamptz', 'text[]': 'text[]', jsonb: 'jsonb' };

interface StoredRow {
  id: string;
  instance_id: string;
  secret_id: string | null;
  checksum: string;
  query_at: Date;
  state: 'active' | 'deleted';
  [column: string]: unknown;
}

interface PendingWrite {
  item: ListedItem;
  checksum: string;
  old: StoredRow | undefined;
}

/**
 * The inventory's write path: a batch of listed records in a few statements
 * (never one per resource), each change logged in the same transaction.
 * An item updates its row only if its checksum differs AND the stored row is
 * older: stale data never overwrites newer data.
 * One owner per resource: the secret whose listing saw it last. A resource
 * listed through another secret (two keys of one account) moves to it, so
 * only the new owner's complete listings may delete it.
 */
@Injectable()
export class InventoryWriter {
  private readonly upserts = new Map<string, string>();

  async writeBatch(
    manager: EntityManager,
    kind: ResourceKind,
    secretId: string,
    items: ListedItem[],
    origin: ChangeOrigin,
    beforeChangeLog?: BeforeChangeLog,
  ): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    const changes = await this.writeItems(manager, kind, secretId, items, origin, results);
    await beforeChangeLog?.(results);
    await appendChanges(manager, changes);
    return results;
  }

  /** Writes the batch's rows; fills `results` and answers the changes to log. */
  private async writeItems(
    manager: EntityManager,
    kind: ResourceKind,
    secretId: string,
    items: ListedItem[],
    origin: ChangeOrigin,
    results: ItemResult[],
  ): Promise<ResourceChange[]> {
    const latest = new Map<string, ListedItem>();
    for (const item of items) {
      const problem = rowProblem(kind, item.record);
      if (problem) results.push(result(item.record, 'failed', problem));
      else latest.set(item.record.instanceId, item); // a listing that repeats an item: its last copy wins
    }
    if (latest.size === 0) return [];

    // No row locks: the upsert's WHERE re-checks age and checksum itself, and an
    // unchanged re-sync must write nothing, not even lock marks.
    const vendor = items[0].record.vendor;
    // Only what classifies an item: most of a re-sync is unchanged and needs no more.
    const stored: StoredRow[] = await manager.query(
      `SELECT id, instance_id, secret_id, checksum, query_at, state FROM ${kind.table} WHERE vendor = $1 AND instance_id = ANY($2::text[])`,
      [vendor, [...latest.keys()]],
    );
    const byInstance = new Map(stored.map((row) => [row.instance_id, row]));
    // Only ids we hold no row of can have a tombstone: usually none, one indexed look-up otherwise.
    const unknown = [...latest.keys()].filter((instanceId) => !byInstance.has(instanceId));
    const tombstones = await tombstoneTimes(manager, kind, secretId, unknown);

    const pending: PendingWrite[] = [];
    for (const item of latest.values()) {
      const checksum = recordChecksum(kind, item.record);
      const old = byInstance.get(item.record.instanceId);
      const deletedAt = tombstones.get(item.record.instanceId);
      if (old && old.query_at.getTime() >= item.queryAt.getTime()) {
        results.push(result(item.record, 'unchanged', NEWER_STORED));
      } else if (deletedAt && deletedAt.getTime() >= item.queryAt.getTime()) {
        results.push(result(item.record, 'unchanged', NEWER_DELETE));
      } else if (old && old.state === 'active' && old.checksum === checksum && old.secret_id === secretId) {
        results.push(result(item.record, 'unchanged', null));
      } else {
        pending.push({ item, checksum, old });
      }
    }
    await this.loadTrackedColumns(manager, kind, pending);
    if (pending.length === 0) return [];

    // One lock order for every writer of these rows: two batches that share a row cannot deadlock.
    pending.sort((a, b) => (a.item.record.instanceId < b.item.record.instanceId ? -1 : 1));
    const written: { id: string; instance_id: string; inserted: boolean }[] = await manager.query(this.upsertSql(kind), [
      JSON.stringify(pending.map((write) => this.toRow(kind, secretId, write))),
    ]);
    const writtenByInstance = new Map(written.map((row) => [row.instance_id, row]));
    const changes: ResourceChange[] = [];
    for (const write of pending) {
      const record = write.item.record;
      const row = writtenByInstance.get(record.instanceId);
      if (!row) {
        results.push(result(record, 'unchanged', NEWER_STORED));
        continue;
      }
      const revived = write.old?.state === 'deleted';
      const created = row.inserted || revived;
      const moved = write.old && write.old.secret_id !== secretId ? `moved from secret ${write.old.secret_id ?? '(deleted)'}` : null;
      results.push(result(record, created ? 'created' : 'updated', revived ? 'revived: it had been deleted' : moved));
      changes.push({
        kind: kind.type,
        resourceId: row.id,
        vendor: record.vendor,
        instanceId: record.instanceId,
        changeType: created ? 'created' : 'updated',
        checksum: write.checksum,
        changedFields: write.old ? changedFields(kind, write.old, record, secretId) : null,
        origin: write.item.origin ?? origin,
      });
    }
    return changes;
  }

  /** Stages ids a listing holds (listed, even if unreadable: not gone) for its deletion sweep. */
  async stageListed(manager: EntityManager, listingId: string, instanceIds: string[]): Promise<void> {
    if (instanceIds.length === 0) return;
    await manager.query(`INSERT INTO listed_instances (listing_id, instance_id) SELECT $1, unnest($2::text[])`, [listingId, instanceIds]);
  }

  /** Forgets a listing's staged ids, and any a process that died left behind a day ago. */
  async clearListed(manager: EntityManager, listingId: string): Promise<void> {
    await manager.query(`DELETE FROM listed_instances WHERE listing_id = $1 OR staged_at < now() - interval '1 day'`, [listingId]);
  }

  /**
   * Soft-deletes what a COMPLETE listing did not contain: the scope's rows
   * whose id the listing did not stage (a hashed anti-join: no id in memory).
   * Rows written after the listing began (a notification, another sync) are left alone.
   */
  async deleteMissing(
    manager: EntityManager,
    kind: ResourceKind,
    scope: DeletionScope,
    listingId: string,
    listingStartedAt: Date,
    origin: ChangeOrigin,
    beforeChangeLog?: BeforeChangeLog,
  ): Promise<ItemResult[]> {
    // TypeORM answers an UPDATE ... RETURNING with [rows, affected count].
    const [gone]: [{ id: string; instance_id: string; name: string; vendor: string; checksum: string }[], number] = await manager.query(
      `UPDATE ${kind.table} AS r
          SET state = 'deleted', deleted_at = now(), query_at = $4, last_changed_at = now()
        WHERE r.secret_id = $1 AND ($2::text IS NULL OR r.region = $2) AND r.state = 'active' AND r.query_at < $4
          AND NOT EXISTS (SELECT 1 FROM listed_instances l WHERE l.listing_id = $3 AND l.instance_id = r.instance_id)
        RETURNING r.id, r.instance_id, r.name, r.vendor, r.checksum`,
      [scope.secretId, scope.region, listingId, listingStartedAt],
    );
    const results: ItemResult[] = gone.map((row) => ({ instance_id: row.instance_id, name: row.name, action: 'deleted', success: true, message: null }));
    await beforeChangeLog?.(results);
    await appendChanges(manager, softDeleteChanges(kind, gone, () => origin));
    return results;
  }

  /**
   * Deletes resources by id, each at the time its delete was observed (a
   * vendor notification, a vSphere `leave`). A row is soft-deleted only if it
   * is older than the delete; an id we do not hold leaves a tombstone, so an
   * older create arriving later does not bring it back.
   */
  async deleteInstances(
    manager: EntityManager,
    kind: ResourceKind,
    secretId: string,
    deletions: ObservedDeletion[],
    origin: ChangeOrigin,
    beforeChangeLog?: BeforeChangeLog,
  ): Promise<ItemResult[]> {
    if (deletions.length === 0) return [];
    const latest = new Map<string, ObservedDeletion>();
    for (const deletion of deletions) {
      const seen = latest.get(deletion.instanceId);
      if (!seen || seen.observedAt < deletion.observedAt) latest.set(deletion.instanceId, deletion);
    }
    const input = JSON.stringify([...latest.values()].map((d) => ({ instance_id: d.instanceId, observed_at: d.observedAt.toISOString() })));
    // One statement: every held row of these ids, locked, and those older than their delete updated. The old state is
    // read under the lock, so "was it active" is the state this statement changed; an id it does not hold gets a tombstone.
    const held: { instance_id: string; id: string | null; name: string; vendor: string; checksum: string; was_active: boolean }[] =
      await manager.query(
        `WITH input AS (SELECT * FROM json_to_recordset($2::json) AS d(instance_id text, observed_at timestamptz)),
              old AS (
                SELECT r.id, r.instance_id, r.state, r.query_at < input.observed_at AS older, input.observed_at
                  FROM ${kind.table} r JOIN input ON input.instance_id = r.instance_id
                 WHERE r.secret_id = $1
                 ORDER BY r.instance_id FOR UPDATE OF r),
              updated AS (
                UPDATE ${kind.table} AS r
                   SET state = 'deleted', query_at = old.observed_at,
                       deleted_at = CASE WHEN old.state = 'active' THEN now() ELSE r.deleted_at END,
                       last_changed_at = CASE WHEN old.state = 'active' THEN now() ELSE r.last_changed_at END
                  FROM old
                 WHERE r.id = old.id AND old.older
                RETURNING r.id, r.name, r.vendor, r.checksum, old.state = 'active' AS was_active)
         SELECT old.instance_id, updated.id, updated.name, updated.vendor, updated.checksum, coalesce(updated.was_active, false) AS was_active
           FROM old LEFT JOIN updated ON updated.id = old.id`,
        [secretId, input],
      );
    const touched = held.filter((row) => row.id !== null) as { id: string; instance_id: string; name: string; vendor: string; checksum: string; was_active: boolean }[];
    const heldIds = new Set(held.map((row) => row.instance_id));
    const unknown = [...latest.values()].filter((d) => !heldIds.has(d.instanceId));
    await leaveTombstones(manager, kind, secretId, unknown);

    const deleted = touched.filter((row) => row.was_active);
    const deletedIds = new Map(deleted.map((row) => [row.instance_id, row.name]));
    const tombstoned = new Set(unknown.map((d) => d.instanceId));
    const alreadyDeleted = new Set(touched.filter((row) => !row.was_active).map((row) => row.instance_id));
    const results = [...latest.keys()].map((instanceId): ItemResult => {
      if (deletedIds.has(instanceId)) return { instance_id: instanceId, name: deletedIds.get(instanceId) ?? null, action: 'deleted', success: true, message: null };
      let message = NEWER_STORED;
      if (tombstoned.has(instanceId)) message = 'not held: a tombstone keeps the delete';
      else if (alreadyDeleted.has(instanceId)) message = 'already deleted';
      return { instance_id: instanceId, name: null, action: 'unchanged', success: true, message };
    });
    await beforeChangeLog?.(results);
    const origins = new Map([...latest.values()].map((d) => [d.instanceId, d.origin ?? origin]));
    await appendChanges(manager, softDeleteChanges(kind, deleted, (instanceId) => origins.get(instanceId)!));
    return results;
  }

  /** The stored values of the rows about to change, for the change log's old/new pairs. */
  private async loadTrackedColumns(manager: EntityManager, kind: ResourceKind, pending: PendingWrite[]): Promise<void> {
    const changing = pending.filter((write) => write.old);
    if (changing.length === 0) return;
    const columns = kind.columns.map((column) => column.name);
    const rows: StoredRow[] = await manager.query(`SELECT id, ${columns.join(', ')} FROM ${kind.table} WHERE id = ANY($1::uuid[])`, [
      changing.map((write) => write.old!.id),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const write of changing) Object.assign(write.old!, byId.get(write.old!.id));
  }

  private toRow(kind: ResourceKind, secretId: string, write: PendingWrite): Record<string, unknown> {
    const record = write.item.record;
    const row: Record<string, unknown> = {
      vendor: record.vendor,
      secret_id: secretId,
      instance_id: record.instanceId,
      raw: record.raw,
      tag_terms: tagTerms(record.tags),
      checksum: write.checksum,
      query_at: write.item.queryAt.toISOString(),
    };
    for (const column of kind.columns) row[column.name] = column.value(record) ?? null;
    return row;
  }

  private upsertSql(kind: ResourceKind): string {
    const cached = this.upserts.get(kind.table);
    if (cached) return cached;
    const own = kind.columns.map((column) => column.name);
    const written = ['vendor', 'secret_id', 'instance_id', ...own, 'raw', 'tag_terms', 'checksum', 'query_at'];
    const recordset = [
      'vendor text',
      'secret_id uuid',
      'instance_id text',
      ...kind.columns.map((column) => `${column.name} ${SQL_TYPE[column.type]}`),
      // json, like the column: validated, not parsed into a tree (see the RawPayloadAsJson migration).
      'raw json',
      'tag_terms text[]',
      'checksum text',
      'query_at timestamptz',
    ];
    const updated = ['secret_id', ...own, 'raw', 'tag_terms', 'checksum', 'query_at'];
    const sql = `
      INSERT INTO ${kind.table} AS t (${written.join(', ')}, state, deleted_at, first_seen_at, last_changed_at)
      SELECT ${written.map((name) => `r.${name}`).join(', ')}, 'active', NULL, now(), now()
        FROM json_to_recordset($1::json) AS r(${recordset.join(', ')})
      ON CONFLICT (vendor, instance_id) DO UPDATE
        SET ${updated.map((name) => `${name} = EXCLUDED.${name}`).join(', ')},
            state = 'active', deleted_at = NULL, last_changed_at = now()
        WHERE t.query_at < EXCLUDED.query_at
          AND (t.checksum <> EXCLUDED.checksum OR t.state = 'deleted' OR t.secret_id IS DISTINCT FROM EXCLUDED.secret_id)
      RETURNING t.id, t.instance_id, (xmax = 0) AS inserted`;
    this.upserts.set(kind.table, sql);
    return sql;
  }
}

/** The change log rows of rows just soft-deleted (a listing's sweep, observed deletions), each with its origin. */
function softDeleteChanges(
  kind: ResourceKind,
  rows: { id: string; instance_id: string; vendor: string; checksum: string }[],
  originOf: (instanceId: string) => ChangeOrigin,
): ResourceChange[] {
  return rows.map((row) => ({
    kind: kind.type,
    resourceId: row.id,
    vendor: row.vendor,
    instanceId: row.instance_id,
    changeType: 'deleted',
    checksum: row.checksum,
    changedFields: { state: { old: 'active', new: 'deleted' } },
    origin: originOf(row.instance_id),
  }));
}

function result(record: ResourceRecord, action: ItemAction, message: string | null): ItemResult {
  return { instance_id: record.instanceId || null, name: record.name ?? null, action, success: action !== 'failed', message };
}

/** Each tracked column whose stored value differs from the record's, with both values. */
function changedFields(kind: ResourceKind, old: StoredRow, record: ResourceRecord, secretId: string): Record<string, { old: unknown; new: unknown }> {
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  if (old.state === 'deleted') changes.state = { old: 'deleted', new: 'active' };
  if (old.secret_id !== secretId) changes.secret_id = { old: old.secret_id, new: secretId };
  for (const column of kind.columns) {
    const before = storedValue(old[column.name]);
    const after = column.value(record) ?? null;
    if (canonicalJson(before) !== canonicalJson(after)) changes[column.name] = { old: before, new: after };
  }
  return changes;
}

function storedValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}
