import { decodeCursor } from '../common/pagination';
import { fieldError } from '../common/validation';
import type { ResourceKind } from './resource-columns';
import { parseSort, sortKey, SortKey } from './resource-sort';
import { viewJsonSql } from './resource-view';
import { keyTerm, pairTerm } from './tag-terms';

export const RESOURCE_STATES = ['active', 'deleted', 'all'] as const;
export type ResourceStateFilter = (typeof RESOURCE_STATES)[number];

/** A validated listing request, whatever the resource kind. */
export interface ResourceListing {
  /** Column -> value, all must match. Columns come from a fixed list, never from the client. */
  equals: Record<string, string | undefined>;
  /** `key=value` or `key`, all must match. */
  tags: string[];
  q?: string;
  state: ResourceStateFilter;
  /** `field` or `-field`. */
  sort: string;
  limit: number;
  cursor?: string;
}

export interface Sql {
  sql: string;
  params: unknown[];
}

/** One row of a listing, as an array: the view as JSON text, and the key the next page's cursor is made of. */
export type ListedRow = [item: string, sortKey: string | null, id: string];

const ALIAS = 'r';
/** An IP prefix is made of these only: anything else cannot match an address, so the IP index is not asked. */
const IP_CHARACTERS = /^[0-9a-f.:]+$/i;

class Parameters {
  readonly values: unknown[] = [];

  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** `%`, `_` and `\` match themselves in a LIKE pattern built from user text. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * The WHERE conditions of a listing. Each has an index behind it (see the
 * InventoryIndexes migration); `q` is a name substring OR an instance id
 * prefix OR an IP prefix, case-insensitive.
 */
function filterConditions(listing: ResourceListing, params: Parameters): string[] {
  const conditions: string[] = [];
  if (listing.state !== 'all') conditions.push(`${ALIAS}.state = ${params.add(listing.state, 'text')}`);
  for (const [column, value] of Object.entries(listing.equals)) {
    if (value !== undefined) conditions.push(`${ALIAS}.${column} = ${params.add(value, column === 'secret_id' ? 'uuid' : 'text')}`);
  }
  if (listing.tags.length > 0) {
    const terms = listing.tags.map((tag) => {
      const separator = tag.indexOf('=');
      return separator < 0 ? keyTerm(tag) : pairTerm(tag.slice(0, separator), tag.slice(separator + 1));
    });
    conditions.push(`${ALIAS}.tag_terms @> ${params.add(terms, 'text[]')}`);
  }
  if (listing.q) {
    const pattern = escapeLike(listing.q);
    const matches = [
      `${ALIAS}.name ILIKE ${params.add(`%${pattern}%`, 'text')}`,
      `lower(${ALIAS}.instance_id) LIKE ${params.add(`${pattern.toLowerCase()}%`, 'text')}`,
    ];
    if (IP_CHARACTERS.test(listing.q)) matches.push(ipPrefixCondition(listing.q.toLowerCase(), params));
    conditions.push(`(${matches.join(' OR ')})`);
  }
  return conditions;
}

/**
 * Some address starts with `prefix`. The index (inventory_ip_prefixes) holds
 * each address's prefixes within its first group and up to each separator:
 * a prefix of either kind is one key; any other ("10.3.1") is looked up by
 * its part up to the last separator ("10.3."), then tested on the addresses.
 */
function ipPrefixCondition(prefix: string, params: Parameters): string {
  const ips = `${ALIAS}.private_ips || ${ALIAS}.public_ips`;
  const lastSeparator = Math.max(prefix.lastIndexOf('.'), prefix.lastIndexOf(':'));
  if (lastSeparator < 0 || lastSeparator === prefix.length - 1) return `inventory_ip_prefixes(${ips}) @> ARRAY[${params.add(prefix, 'text')}]`;
  const indexed = prefix.slice(0, lastSeparator + 1);
  return (
    `(inventory_ip_prefixes(${ips}) @> ARRAY[${params.add(indexed, 'text')}]` +
    ` AND lower(' ' || array_to_string(${ips}, ' ')) LIKE ${params.add(`% ${prefix}%`, 'text')})`
  );
}

function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** The keyset condition: rows strictly after the cursor's (key, id) in the listing's order. */
function cursorCondition(listing: ResourceListing, key: SortKey, descending: boolean, params: Parameters): string {
  const [sort, value, id] = decodeCursor(listing.cursor!, ['string', key.cursorPart, 'uuid']);
  if (sort !== listing.sort) throw fieldError('cursor', `cursor belongs to sort=${String(sort)}, not sort=${listing.sort}`);
  const keyParam = key.fromCursor(value);
  if (keyParam === undefined) throw fieldError('cursor', 'cursor is not valid');
  return `(${key.expression}, ${ALIAS}.id) ${descending ? '<' : '>'} (${params.add(keyParam, key.cast)}, ${params.add(id, 'uuid')})`;
}

/** A page of a listing (limit + 1 rows, to know whether another page follows). */
export function listSql(kind: ResourceKind, listing: ResourceListing): Sql & { key: SortKey } {
  const { field, descending } = parseSort(listing.sort);
  const key = sortKey(field, ALIAS);
  const params = new Parameters();
  const conditions = filterConditions(listing, params);
  if (listing.cursor) conditions.push(cursorCondition(listing, key, descending, params));
  const direction = descending ? 'DESC' : 'ASC';
  const page = `
      FROM ${kind.table} ${ALIAS}
      ${whereClause(conditions)}
     ORDER BY ${key.expression} ${direction}, ${ALIAS}.id ${direction}
     LIMIT ${params.add(listing.limit + 1, 'int')}`;
  const sql =
    listing.tags.length > 0 && key.indexCoversTagFilters
      ? tagFilteredPageSql(kind, page, key, direction)
      : `SELECT ${viewJsonSql(ALIAS, { withRaw: false })} AS item, ${key.keyText} AS sort_key, ${ALIAS}.id ${page}`;
  return { sql, params: params.values, key };
}

/**
 * A tag filter rejects rows the sort order cannot skip (a common tag is found
 * by walking that order). Where the order's index also holds state and
 * tag_terms, the page's keys are chosen from the index alone and only those
 * rows are then read. For another order this shape is only an extra join
 * (0.5 -> 0.8-1.2 ms a page at 1M hosts), so it is not used there.
 */
function tagFilteredPageSql(kind: ResourceKind, page: string, key: SortKey, direction: string): string {
  return `
    WITH page AS MATERIALIZED (SELECT ${key.expression} AS sort_value, ${key.keyText} AS sort_key, ${ALIAS}.id ${page})
    SELECT ${viewJsonSql('listed', { withRaw: false })} AS item, page.sort_key, page.id
      FROM page JOIN ${kind.table} listed ON listed.id = page.id
     ORDER BY page.sort_value ${direction}, page.id ${direction}`;
}

/** How many rows match the listing's filters (its cursor aside). */
export function countSql(kind: ResourceKind, listing: ResourceListing): Sql {
  const params = new Parameters();
  const sql = `SELECT count(*)::bigint AS total FROM ${kind.table} ${ALIAS} ${whereClause(filterConditions(listing, params))}`;
  return { sql, params: params.values };
}

/** The cursor of the page after `row`. */
export function cursorKey(listing: ResourceListing, key: SortKey, [, sortKey, id]: ListedRow): unknown[] {
  return [listing.sort, key.toCursor(sortKey), id];
}
