import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ResourceType } from '../providers/provider';
import { RESOURCE_KINDS } from './resource-columns';

export type Counts = Record<string, number>;

export interface KindStats {
  total: number;
  by_vendor: Counts;
  by_region: Counts;
  by_status: Counts;
}

export interface InventoryStats extends KindStats {
  by_resource_type: Record<ResourceType, number>;
  resource_types: Record<ResourceType, KindStats>;
}

interface GroupRow {
  vendor: string;
  region: string;
  status: string;
  n: string;
}

/** Counts of active resources by vendor, region, status and resource type. */
@Injectable()
export class InventoryStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stats(): Promise<InventoryStats> {
    const overall: KindStats = emptyStats();
    const byType = {} as Record<ResourceType, number>;
    const perType = {} as Record<ResourceType, KindStats>;
    for (const kind of Object.values(RESOURCE_KINDS)) {
      // One ordered pass over the small (vendor, region, status) index of
      // active rows: a few hundred groups, rolled up here.
      const rows: GroupRow[] = await this.dataSource.query(
        `SELECT vendor, region, status, count(*)::bigint AS n FROM ${kind.table} WHERE state = 'active' GROUP BY vendor, region, status`,
      );
      const stats = emptyStats();
      for (const row of rows) {
        const n = Number(row.n);
        stats.total += n;
        add(stats.by_vendor, row.vendor, n);
        add(stats.by_region, row.region, n);
        add(stats.by_status, row.status, n);
      }
      perType[kind.type] = stats;
      byType[kind.type] = stats.total;
      overall.total += stats.total;
      for (const group of ['by_vendor', 'by_region', 'by_status'] as const) {
        for (const [value, n] of Object.entries(stats[group])) add(overall[group], value, n);
      }
    }
    return { ...overall, by_resource_type: byType, resource_types: perType };
  }
}

function add(counts: Counts, key: string, n: number): void {
  counts[key] = (counts[key] ?? 0) + n;
}

function emptyStats(): KindStats {
  return { total: 0, by_vendor: {}, by_region: {}, by_status: {} };
}
