import { DataSource } from 'typeorm';
import { tagTerms } from '../../src/inventory/tag-terms';
import { startTestApp, TestApp } from '../support/test-app';

/** The writer computes tag terms in TypeScript; backfills and bulk loads in SQL. Both must give the same terms. */
describe('tag terms', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('are the same from tagTerms() and from inventory_tag_terms()', async () => {
    const samples: Record<string, string>[] = [
      {},
      { env: 'prod' },
      { env: 'prod', team: 'team-7', app: '' },
      { 'a=b': 'c', a: 'b=c' },
      { 环境: '生产', '🚀': 'launch', 'key with spaces': 'value with spaces' },
    ];
    const dataSource = t.app.get(DataSource);
    for (const tags of samples) {
      const [{ terms }]: { terms: string[] }[] = await dataSource.query(`SELECT inventory_tag_terms($1::jsonb) AS terms`, [JSON.stringify(tags)]);
      expect({ tags, terms: [...terms].sort() }).toEqual({ tags, terms: tagTerms(tags).sort() });
    }
    // A key containing `=` stays apart from the pair it resembles.
    expect(tagTerms({ 'a=b': 'c' })).not.toEqual(expect.arrayContaining(tagTerms({ a: 'b=c' })));
  });
});
