import { Header } from '@nestjs/common';

/** The answer is JSON text already (built by PostgreSQL): sent as it is. */
export const JsonText = () => Header('Content-Type', 'application/json; charset=utf-8');
