import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  if (process.env.CMDB_TEST_TEMPLATE) rmSync(process.env.CMDB_TEST_TEMPLATE, { force: true });
}
