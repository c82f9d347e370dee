/**
 * The API server for `bench/api.bench.ts`, in a process of its own so the load
 * generator's CPU is not the server's. Reads DATABASE_URL, CMDB_ADMIN_TOKEN and
 * LOG_LEVEL from its environment; prints `listening <port>` on stdout.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { validateEnvironment } from '../../src/config/environment';
import { createApp } from '../../src/create-app';

async function main(): Promise<void> {
  const environment = validateEnvironment({
    ...process.env,
    CMDB_RUN_MIGRATIONS: 'false',
    CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  const app = await createApp({
    environment,
    database: { kind: 'postgres', url: environment.DATABASE_URL!, poolSize: environment.DATABASE_POOL_SIZE, close: async () => {} },
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`listening ${port}\n`);
  process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
