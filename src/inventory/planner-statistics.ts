import type { DataSource } from 'typeorm';
import type { ResourceKind } from './resource-columns';

/**
 * Keeps the planner's statistics of a resource table up with a sync that
 * grows it. Without them (a table filled by its first sync has none until
 * autovacuum comes by, a minute or more later) the planner takes the scope's
 * rows to be a handful and looks up each batch's instance ids by reading every
 * row of the vendor: the sync turns quadratic (100k hosts: 6 s of lookups
 * instead of 0.3 s). So the table is analysed each time the rows this sync
 * inserted reach the row count the statistics last knew: a few times per
 * first sync (log2 of its growth), never on a re-sync.
 */
export class PlannerStatistics {
  private known: number | null = null;
  private insertedSinceAnalyze = 0;
  private analysing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kind: ResourceKind,
  ) {}

  /** After a batch was written: analyses the table when this sync has outgrown what its statistics say. */
  async inserted(rows: number): Promise<void> {
    if (rows === 0) return;
    this.insertedSinceAnalyze += rows;
    if (this.known === null) {
      const [{ tuples }]: { tuples: number }[] = await this.dataSource.query(
        `SELECT greatest(reltuples, 0)::float8 AS tuples FROM pg_class WHERE oid = $1::regclass`,
        [this.kind.table],
      );
      this.known = tuples;
    }
    if (this.analysing || this.insertedSinceAnalyze < Math.max(this.known, 1000)) return;
    this.analysing = true;
    try {
      const grown = this.insertedSinceAnalyze;
      // Only the lookup key's columns: a whole-table ANALYZE also evaluates every expression index over its sample (~1 s here).
      await this.dataSource.query(`ANALYZE ${this.kind.table} (vendor, instance_id)`);
      this.known += grown;
      this.insertedSinceAnalyze -= grown;
    } finally {
      this.analysing = false;
    }
  }
}
