import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { toPage } from '../common/pagination';
import { ChangesService } from '../changes/changes.service';
import { queryArraysIn } from '../database/array-rows';
import type { ResourceKind } from './resource-columns';
import { countSql, cursorKey, ListedRow, listSql, ResourceListing } from './resource-listing';
import { parseResourceRef, ResourceRef } from './resource-ref';
import { viewJsonSql } from './resource-view';

const NOUN = { host: 'host', rds: 'database' } as const;

/** Which resources a watch's initial events cover. */
export interface ResourceScope {
  vendor?: string;
  secretId?: string;
  region?: string;
}

/**
 * The inventory's read side. Answers are JSON text built by PostgreSQL (see
 * resource-view.ts): the controllers send them as they are.
 */
@Injectable()
export class ResourceQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: ChangesService,
  ) {}

  /**
   * A page of `{ items, next_cursor, resource_version[, total] }`. The page and
   * the change log's latest revision are read in one REPEATABLE READ snapshot:
   * the page reflects every change up to resource_version and none after, so a
   * client that watches from the first page's resource_version misses nothing.
   * (The total, a figure for humans, is counted beside it.)
   */
  async list(kind: ResourceKind, listing: ResourceListing, withTotal: boolean): Promise<string> {
    const page = listSql(kind, listing);
    const count = withTotal ? countSql(kind, listing) : null;
    const [[rows, revision], counted] = await Promise.all([
      this.dataSource.transaction('REPEATABLE READ', async (manager) => {
        const latest = await this.changes.latestRevision(manager);
        return [await queryArraysIn<ListedRow>(manager, page.sql, page.params), latest] as const;
      }),
      count ? (this.dataSource.query(count.sql, count.params) as Promise<{ total: string }[]>) : null,
    ]);
    const { items, next_cursor } = toPage(rows, listing.limit, (row) => cursorKey(listing, page.key, row), ([item]) => item);
    const total = counted ? `,"total":${Number(counted[0].total)}` : '';
    return `{"items":[${items.join(',')}],"next_cursor":${JSON.stringify(next_cursor)},"resource_version":${revision}${total}}`;
  }

  /**
   * A page of the active resources of a kind in the scope, by id, as JSON
   * text, in the caller's transaction (a watch's initial events: one
   * snapshot for every page).
   */
  async currentPage(manager: EntityManager, kind: ResourceKind, scope: ResourceScope, afterId: string | null, limit: number): Promise<{ id: string; item: string }[]> {
    const rows = await queryArraysIn<[string, string]>(
      manager,
      `SELECT r.id, ${viewJsonSql('r', { withRaw: false })} FROM ${kind.table} r
        WHERE r.state = 'active' AND ($1::text IS NULL OR r.vendor = $1) AND ($2::uuid IS NULL OR r.secret_id = $2)
          AND ($3::text IS NULL OR r.region = $3) AND ($4::uuid IS NULL OR r.id > $4)
        ORDER BY r.id
        LIMIT $5`,
      [scope.vendor ?? null, scope.secretId ?? null, scope.region ?? null, afterId, limit],
    );
    return rows.map(([id, item]) => ({ id, item }));
  }

  /** One resource with its raw vendor payload, by our id or `vendor:instance_id`. */
  async get(kind: ResourceKind, idOrRef: string): Promise<string> {
    const ref = this.parse(kind, idOrRef);
    const [where, params] = refCondition(ref);
    const rows: { item: string }[] = await this.dataSource.query(`SELECT ${viewJsonSql('r', { withRaw: true })} AS item FROM ${kind.table} r WHERE ${where}`, params);
    if (rows.length === 0) throw notFound(kind, idOrRef);
    return rows[0].item;
  }

  /** Our id of a resource named either way; 404 when there is none. */
  async resolveId(kind: ResourceKind, idOrRef: string): Promise<string> {
    const ref = this.parse(kind, idOrRef);
    const [where, params] = refCondition(ref);
    const rows: { id: string }[] = await this.dataSource.query(`SELECT r.id FROM ${kind.table} r WHERE ${where}`, params);
    if (rows.length === 0) throw notFound(kind, idOrRef);
    return rows[0].id;
  }

  private parse(kind: ResourceKind, idOrRef: string): ResourceRef {
    const ref = parseResourceRef(idOrRef);
    if (!ref) throw notFound(kind, idOrRef);
    return ref;
  }
}

function refCondition(ref: ResourceRef): [string, unknown[]] {
  return 'id' in ref ? ['r.id = $1::uuid', [ref.id]] : ['r.vendor = $1 AND r.instance_id = $2', [ref.vendor, ref.instanceId]];
}

function notFound(kind: ResourceKind, idOrRef: string): NotFoundException {
  return new NotFoundException(`${NOUN[kind.type]} ${idOrRef} not found`);
}
