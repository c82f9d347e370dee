import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EnvironmentVariables } from '../config/environment';
import type { DatabaseHandle } from '../database/database-handle';
import { DATABASE_HANDLE } from '../database/database.tokens';
import { TokensService } from './tokens.service';

export const BOOTSTRAP_TOKEN_NAME = 'bootstrap-admin';

/**
 * Makes sure someone can administer the server. With CMDB_ADMIN_TOKEN set there
 * is nothing to do. On the embedded database, without any working admin token,
 * one is generated, stored hashed and printed once to stderr: that is the only
 * copy. On a real PostgreSQL nothing is generated (the process's stderr may be
 * shared by many replicas and collected anywhere): the server starts, answers
 * no one but the health probes, and says how to fix it.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly environment: EnvironmentVariables,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    private readonly tokens: TokensService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.environment.CMDB_ADMIN_TOKEN || (await this.tokens.hasUsableAdmin())) return;
    if (this.database.kind === 'embedded') {
      const created = await this.tokens.issue(BOOTSTRAP_TOKEN_NAME, 'admin', null);
      // Straight to stderr, never through the logger: the token must not enter a log pipeline.
      process.stderr.write(`cmdb: created an admin token (shown once, keep it): ${created.token}\n`);
      return;
    }
    this.logger.warn(
      'no admin token exists: every API route will answer 401. Set CMDB_ADMIN_TOKEN (e.g. `openssl rand -base64 32`) ' +
        'and restart, then create tokens with POST /tokens',
    );
  }
}
