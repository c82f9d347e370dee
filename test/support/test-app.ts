import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { validateEnvironment } from '../../src/config/environment';
import { createApp } from '../../src/create-app';
import type { Role } from '../../src/auth/roles';
import type { DatabaseHandle } from '../../src/database/database-handle';
import { createTestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  /** Sends CMDB_ADMIN_TOKEN on every request (`.set('Authorization', ...)` overrides it). */
  http: TestAgent;
  /** Sends no token: for what strangers and other roles see. */
  raw: TestAgent;
  /** The admin token `http` sends (CMDB_ADMIN_TOKEN), or null when the test unset it. */
  adminToken: string | null;
  /** Creates a stored token of that role through the API; answers the token itself. */
  createToken(role: Role, name?: string): Promise<string>;
  database: DatabaseHandle;
  /** Every log line the app wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/** The real app over HTTP on a fresh test database; logs are captured, not printed. */
export async function startTestApp(
  environment: Record<string, string> = {},
  options: { /** Another app's database (a second replica); it stays open when this app closes. */ sharedDatabase?: DatabaseHandle } = {},
): Promise<TestApp> {
  const adminToken = environment.CMDB_ADMIN_TOKEN ?? `cmdb_${randomBytes(32).toString('base64url')}`;
  const database = options.sharedDatabase ?? (await createTestDatabase());
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
      CMDB_ADMIN_TOKEN: adminToken,
      ...environment,
    }),
    database,
    logStream,
  });
  await app.init();
  app.flushLogs(); // Nest keeps start-up logs buffered until listen(), which tests never call
  const http = request.agent(app.getHttpServer());
  if (adminToken) http.set('Authorization', `Bearer ${adminToken}`);
  return {
    app,
    http,
    raw: request(app.getHttpServer()),
    adminToken: adminToken || null,
    async createToken(role, name = `${role}-${randomBytes(4).toString('hex')}`) {
      const created = await http.post('/tokens').send({ name, role }).expect(201);
      return created.body.token as string;
    },
    database,
    logs,
    async close() {
      await app.close();
      if (!options.sharedDatabase) await database.close();
    },
  };
}
