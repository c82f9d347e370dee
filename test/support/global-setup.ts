import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmbeddedTemplate, buildPostgresTemplate } from './template-database';

/** Builds the migrated template once per run; every test file starts from a copy of it. */
export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    await buildPostgresTemplate(serverUrl);
    return;
  }
  const path = join(tmpdir(), `cmdb-test-template-${process.pid}.tar`);
  writeFileSync(path, await buildEmbeddedTemplate());
  process.env.CMDB_TEST_TEMPLATE = path;
}
