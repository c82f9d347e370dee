import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { validateEnvironment, EnvironmentVariables } from './config/environment';
import { openDatabase, DatabaseHandle } from './database/database-handle';
import { createApp } from './create-app';

/** Start-up failures a user can fix get their message alone, not a stack trace. */
function fail(error: unknown): never {
  process.stderr.write(`cmdb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let environment: EnvironmentVariables;
  try {
    environment = validateEnvironment(process.env);
  } catch (error) {
    fail(error);
  }
  let database: DatabaseHandle;
  try {
    database = await openDatabase(environment);
  } catch (error) {
    fail(error);
  }
  let app: INestApplication;
  try {
    app = await createApp({ environment, database });
    await app.listen(environment.PORT, environment.HOST);
  } catch (error) {
    await database.close().catch(() => undefined);
    fail(error);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`cmdb: ${signal} received, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  const { port } = app.getHttpServer().address() as { port: number };
  const host = environment.HOST === '0.0.0.0' ? '127.0.0.1' : environment.HOST;
  process.stderr.write(`cmdb: listening on http://${host}:${port} (database: ${database.kind})\n`);
}

void main();
