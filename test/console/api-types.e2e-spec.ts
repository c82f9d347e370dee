import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';
import { API_TYPES_FILE, generateApiTypes } from './api-types';

/**
 * The console's API client is typed from the server's OpenAPI document: when a
 * route, parameter or body changes, this fails until the types are regenerated
 * (`npm run console:types`) and the console still type-checks against them.
 */
describe('console API types', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('match the OpenAPI document the server serves', async () => {
    const generated = await generateApiTypes(t);
    const path = join(__dirname, '..', '..', API_TYPES_FILE);
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(path, generated);
    const committed = readFileSync(path, 'utf8');
    if (committed !== generated) {
      throw new Error(`${API_TYPES_FILE} is out of date with the server's OpenAPI document: run npm run console:types`);
    }
  });
});
