import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminBootstrap } from './admin-bootstrap';
import { ApiTokenEntity } from './api-token.entity';
import { AuditController } from './audit.controller';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditService } from './audit.service';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { RequestAuthorizer } from './request-authorizer';
import { RequestContextMiddleware } from './request-context';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';
import { VerifiedTokens } from './verified-tokens';
import { WhoamiController } from './whoami.controller';

/** Bearer tokens with roles on every route, the token API and the audit log (global: any service may audit). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity, AuditEntryEntity])],
  controllers: [TokensController, AuditController, WhoamiController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    Authenticator,
    VerifiedTokens,
    AuthFailureThrottle,
    RequestAuthorizer,
    TokensService,
    AuditService,
    AdminBootstrap,
  ],
  exports: [AuditService, Authenticator, RequestAuthorizer],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*path');
  }
}
