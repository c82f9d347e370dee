import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConsoleRedirectController } from './console-redirect.controller';
import { ConsoleStaticMiddleware } from './console-static.middleware';

/** The web console: static files built by `npm run build` (console/ -> dist/console), served at /console. */
@Module({ controllers: [ConsoleRedirectController], providers: [ConsoleStaticMiddleware] })
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleStaticMiddleware).forRoutes({ path: 'console', method: RequestMethod.GET }, { path: 'console/*path', method: RequestMethod.GET });
  }
}
