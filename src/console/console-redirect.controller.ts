import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/access.decorators';
import { CONSOLE_PATH } from './console-static.middleware';

/** A browser opening the server's address lands on the console; an API client gets the usual 404. */
@ApiExcludeController()
@Public()
@Controller()
export class ConsoleRedirectController {
  @Get()
  root(@Req() request: Request, @Res() response: Response): void {
    if (!request.accepts('html')) throw new NotFoundException('Cannot GET /');
    response.redirect(302, `${CONSOLE_PATH}/`);
  }
}
