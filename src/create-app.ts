import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { setUpApiDocs } from './common/api-docs';
import { TimedExpressAdapter } from './common/timed-express-adapter';
import { createValidationPipe, rejectDeepJson } from './common/validation';
import { captureWebhookBody } from './events/webhooks/webhook-body';
import { AppModule, AppModuleOptions } from './app.module';

/** The configured application, not yet listening: main.ts and the e2e tests share it. */
export async function createApp(options: AppModuleOptions): Promise<INestApplication> {
  const { environment } = options;
  const adapter = new TimedExpressAdapter({
    headersTimeout: environment.CMDB_HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: environment.CMDB_HTTP_REQUEST_TIMEOUT_MS,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Before the body parsers: webhook signatures cover the exact bytes, which a parser would consume.
  app.use('/webhooks', captureWebhookBody(environment.CMDB_WEBHOOK_MAX_BYTES));
  // Nest's own parsers, but JSON nested too deep is refused before it is parsed.
  app.useBodyParser('json', { verify: rejectDeepJson });
  app.useBodyParser('urlencoded', { extended: true });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.set('query parser', 'extended');
  // The client address (request.ip) comes from X-Forwarded-For only through these hops.
  if (environment.CMDB_TRUSTED_PROXIES.length > 0) app.set('trust proxy', environment.CMDB_TRUSTED_PROXIES);
  app.disable('x-powered-by');
  // Express would hash every body (85 KB for a page of 100 hosts) for an ETag that no listing client sends back.
  app.set('etag', false);

  setUpApiDocs(app, environment);
  return app;
}
