import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { createValidationPipe } from './common/validation';
import { captureWebhookBody } from './events/webhooks/webhook-body';
import { AppModule, AppModuleOptions } from './app.module';

/** The configured application, not yet listening: main.ts and the e2e tests share it. */
export async function createApp(options: AppModuleOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.set('query parser', 'extended');
  app.disable('x-powered-by');
  // Express would hash every body (85 KB for a page of 100 hosts) for an ETag that no listing client sends back.
  app.set('etag', false);
  // Before the JSON parser (Nest adds it at init): webhook signatures cover the exact bytes.
  app.use('/webhooks', captureWebhookBody(options.environment.CMDB_WEBHOOK_MAX_BYTES));

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
  return app;
}
