import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { validateEnvironment } from '../../src/config/environment';
import { createApp } from '../../src/create-app';
import type { DatabaseHandle } from '../../src/database/database-handle';
import { createTestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  database: DatabaseHandle;
  /** Every log line the app wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/** The real app over HTTP on a fresh test database; logs are captured, not printed. */
export async function startTestApp(environment: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await createApp({
    environment: validateEnvironment({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      CMDB_RUN_MIGRATIONS: 'false',
      CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...environment,
    }),
    database,
    logStream,
  });
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    database,
    logs,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
