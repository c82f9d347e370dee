import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ResourceType } from '../providers/provider';
import type { Counts, InventoryStatsView, KindStatsView } from './dto/stats.response';
import { RESOURCE_KINDS } from './resource-columns';


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

  async stats(): Promise<InventoryStatsView> {
    const overall: KindStatsView = emptyStats();
    const byType = {} as Record<ResourceType, number>;
    const perType = {} as Record<ResourceType, KindStatsView>;
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

function emptyStats(): KindStatsView {
  return { total: 0, by_vendor: {}, by_region: {}, by_status: {} };
}
