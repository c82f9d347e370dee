import type { CursorPart } from '../common/pagination';

export const SORT_FIELDS = ['name', 'created_at', 'updated_at', 'cpu', 'memory_mib'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
/** A field ascending, or descending with a leading `-`. */
export const SORTS = SORT_FIELDS.flatMap((field) => [field, `-${field}`]);

/** Ints are stored in `integer`: a missing value sorts as this, after every stored value. */
const MISSING_INT = '2147483648';
const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * How rows are ordered on one field. `expression` is never null and is what
 * the migration indexes (keep the two identical): a missing value sorts after
 * every present one (PostgreSQL's own NULLS LAST for ascending, NULLS FIRST
 * for descending), so the cursor is a plain `(key, id) > (…)` comparison an
 * index can seek to. Ties are broken by id, in the same direction.
 */
export interface SortKey {
  field: SortField;
  expression: string;
  /** SQL type of the key as compared. */
  cast: 'text' | 'timestamptz' | 'bigint';
  /** The row's key as the cursor carries it, selected as text: timestamps with their microseconds, so the cursor is exact. */
  keyText: string;
  cursorPart: CursorPart;
  /** Its index also holds state and tag_terms (the NameOrderCoversTagFilters migration): a tag filter is decided inside it. */
  indexCoversTagFilters: boolean;
  /** The cursor's value from the selected text. */
  toCursor(text: string | null): string | number | null;
  /** The parameter compared with `expression`, or undefined when the value cannot come from a cursor we wrote. */
  fromCursor(value: unknown): string | undefined;
}

const microsText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const isTime = (value: unknown): value is string => typeof value === 'string' && ISO_MICROS.test(value) && !Number.isNaN(Date.parse(value));
const isStoredInt = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= -2147483648 && (value as number) < 2147483648;

function nullableInt(field: SortField, column: string): SortKey {
  return {
    field,
    expression: `coalesce(${column}::bigint, ${MISSING_INT})`,
    cast: 'bigint',
    keyText: `${column}::text`,
    cursorPart: 'nullable-number',
    indexCoversTagFilters: false,
    toCursor: (text) => (text === null ? null : Number(text)),
    fromCursor: (value) => (value === null ? MISSING_INT : isStoredInt(value) ? String(value) : undefined),
  };
}

export function sortKey(field: SortField, alias: string): SortKey {
  switch (field) {
    case 'name':
      return {
        field,
        expression: `${alias}.name`,
        cast: 'text',
        keyText: `${alias}.name`,
        cursorPart: 'string',
        indexCoversTagFilters: true,
        toCursor: (text) => text,
        fromCursor: (value) => (typeof value === 'string' && !value.includes('\u0000') ? value : undefined),
      };
    case 'created_at':
      // The vendor's create time.
      return {
        field,
        expression: `coalesce(${alias}.vendor_created_at, 'infinity'::timestamptz)`,
        cast: 'timestamptz',
        keyText: microsText(`${alias}.vendor_created_at`),
        cursorPart: 'nullable-string',
        indexCoversTagFilters: false,
        toCursor: (text) => text,
        fromCursor: (value) => (value === null ? 'infinity' : isTime(value) ? value : undefined),
      };
    case 'updated_at':
      // When we last saw the resource change.
      return {
        field,
        expression: `${alias}.last_changed_at`,
        cast: 'timestamptz',
        keyText: microsText(`${alias}.last_changed_at`),
        cursorPart: 'string',
        indexCoversTagFilters: false,
        toCursor: (text) => text,
        fromCursor: (value) => (isTime(value) ? value : undefined),
      };
    case 'cpu':
      return nullableInt(field, `${alias}.cpu`);
    case 'memory_mib':
      return nullableInt(field, `${alias}.memory_mib`);
  }
}

/** `-cpu` -> cpu descending. */
export function parseSort(sort: string): { field: SortField; descending: boolean } {
  const descending = sort.startsWith('-');
  return { field: (descending ? sort.slice(1) : sort) as SortField, descending };
}
