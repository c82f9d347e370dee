import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer } from 'node:http';

export interface HttpTimeouts {
  /** Until the request's headers are in (ms). */
  headersTimeout: number;
  /** Until the whole request, body included, is in (ms); the response may take as long as it needs. */
  requestTimeout: number;
}

/**
 * Express under Nest, on an HTTP server that answers 408 and closes a
 * connection whose client trickles its headers or body. Node checks
 * connections every 30 s by default, which only the constructor can change:
 * hence a server of our own instead of Nest's.
 */
export class TimedExpressAdapter extends ExpressAdapter {
  constructor(private readonly timeouts: HttpTimeouts) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const { headersTimeout, requestTimeout } = this.timeouts;
    this.setHttpServer(
      createServer(
        { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1_000, Math.ceil(headersTimeout / 2)) },
        this.getInstance(),
      ),
    );
  }
}
