import type { DataSource } from 'typeorm';
import { PlannerStatistics } from './planner-statistics';
import { RESOURCE_KINDS } from './resource-columns';

/** A data source that answers pg_class's row count and records every ANALYZE. */
function fakeDataSource(knownRows: number): { dataSource: DataSource; analyses: string[] } {
  const analyses: string[] = [];
  const dataSource = {
    query: async (sql: string) => {
      if (sql.startsWith('ANALYZE')) {
        analyses.push(sql);
        return [];
      }
      return [{ tuples: knownRows }];
    },
  } as unknown as DataSource;
  return { dataSource, analyses };
}

describe('PlannerStatistics', () => {
  it('analyses an empty table once the sync has inserted 1000 rows, then each time it has doubled', async () => {
    const { dataSource, analyses } = fakeDataSource(0);
    const statistics = new PlannerStatistics(dataSource, RESOURCE_KINDS.host);
    const counts: number[] = [];
    for (let batch = 1; batch <= 100; batch++) {
      await statistics.inserted(1000);
      counts.push(analyses.length);
    }
    // After 1k, 2k, 4k, 8k, 16k, 32k and 64k rows: a handful of ANALYZEs for a 100k-row first sync.
    expect([1, 2, 4, 8, 16, 32, 64].map((rows) => counts[rows - 1])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(analyses.length).toBe(7);
    expect(analyses[0]).toBe('ANALYZE hosts (vendor, instance_id)');
  });

  it('leaves a table alone that its statistics already know to be larger than what the sync adds', async () => {
    const { dataSource, analyses } = fakeDataSource(1_000_000);
    const statistics = new PlannerStatistics(dataSource, RESOURCE_KINDS.host);
    for (let batch = 0; batch < 100; batch++) await statistics.inserted(1000);
    await statistics.inserted(0);
    expect(analyses).toEqual([]);
  });
});
