import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/actor';
import { RequestAuthorizer } from '../auth/request-authorizer';
import type { EnvironmentVariables } from '../config/environment';

const DOCS_PATHS = ['/docs', '/docs-json', '/docs-yaml'];

/**
 * The OpenAPI UI (`/docs`) and document (`/docs-json`). They describe every
 * route, so by default they need a viewer token like the routes themselves;
 * CMDB_DOCS_PUBLIC=true opens them to anyone.
 */
export function setUpApiDocs(app: INestApplication, environment: EnvironmentVariables): void {
  if (!environment.CMDB_DOCS_PUBLIC) {
    const authorizer = app.get(RequestAuthorizer);
    // Ahead of Swagger's own routes; a refusal goes to the error filter like any other.
    app.use(DOCS_PATHS, (request: AuthenticatedRequest, response: Response, next: NextFunction) => {
      authorizer.authorize(request, response, 'viewer').then(() => next(), next);
    });
  }
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CMDB')
      .setDescription('Multi-cloud inventory of hosts and managed databases')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'cmdb_<base64url>', description: 'An API token (POST /tokens) or CMDB_ADMIN_TOKEN' })
      // Every operation needs it unless it says otherwise (@Public() answers `security: [{}]`).
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
