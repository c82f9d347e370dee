import { Injectable, NestMiddleware, NotFoundException } from '@nestjs/common';
import { static as serveStatic } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { consoleBuildDir } from './console-files';
import { setConsoleHeaders } from './console-headers';

export const CONSOLE_PATH = '/console';

/**
 * Serves the built console under /console: its hashed assets for a year, and
 * index.html (never cached) for every other path, so the browser's router
 * takes deep links such as /console/hosts/aliyun:i-1.
 */
@Injectable()
export class ConsoleStaticMiddleware implements NestMiddleware {
  private readonly root = consoleBuildDir();
  private readonly files = serveStatic(this.root, {
    index: false,
    dotfiles: 'ignore',
    setHeaders: (response, path) => {
      const hashed = path.startsWith(join(this.root, 'assets'));
      response.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  use(request: Request, response: Response, next: NextFunction): void {
    const url = new URL(request.originalUrl, 'http://console');
    if (!url.pathname.startsWith(CONSOLE_PATH)) return next();
    if (url.pathname === CONSOLE_PATH) return response.redirect(302, `${CONSOLE_PATH}/`);
    setConsoleHeaders(response);
    const index = join(this.root, 'index.html');
    if (!existsSync(index)) return next(new NotFoundException('the console is not built: run npm run build'));
    request.url = url.pathname.slice(CONSOLE_PATH.length) + url.search;
    this.files(request, response, () => {
      // A missing asset is a 404; any other path is a page of the single-page app.
      if (extname(url.pathname) !== '') return next(new NotFoundException(`no such file: ${url.pathname}`));
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(index);
    });
  }
}
