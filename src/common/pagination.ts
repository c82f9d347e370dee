import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A page of a keyset-paginated listing. */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

/** `limit` and an opaque `cursor`, shared by every listing. */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

/** Cursors are opaque to clients: the last row's sort key, as base64url JSON. */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Each part of a cursor is checked by its kind, so a forged cursor is a 400, never a database error. */
export type CursorPart = 'time' | 'uuid' | 'string' | 'number' | 'nullable-string' | 'nullable-number';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function partIsValid(value: unknown, part: CursorPart): boolean {
  switch (part) {
    case 'time':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'nullable-string':
      return value === null || typeof value === 'string';
    case 'nullable-number':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
  }
}

export function decodeCursor(cursor: string, parts: readonly CursorPart[]): unknown[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts.length && key.every((value, i) => partIsValid(value, parts[i]))) return key;
  } catch {
    // answered below
  }
  throw new BadRequestException({ message: 'cursor is not valid', details: [{ field: 'cursor', problems: ['cursor is not valid'] }] });
}

/** Fetch limit+1 rows; this turns them into a page. */
export function toPage<Row, Item>(rows: Row[], limit: number, key: (row: Row) => unknown[], view: (row: Row) => Item): Page<Item> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
  };
}
