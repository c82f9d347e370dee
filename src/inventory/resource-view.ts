import type { ResourceKind } from './resource-columns';

/** A timestamp as JavaScript's toISOString writes it (UTC, milliseconds, `Z`), like every other time the API answers. */
export function isoTimeSql(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

interface ViewColumn {
  name: string;
  time: boolean;
}

const IDENTITY: ViewColumn[] = ['id', 'vendor', 'secret_id', 'instance_id'].map((name) => ({ name, time: false }));
const BOOKKEEPING: ViewColumn[] = [
  { name: 'state', time: false },
  { name: 'deleted_at', time: true },
  { name: 'first_seen_at', time: true },
  { name: 'last_changed_at', time: true },
  { name: 'query_at', time: true },
];

/** What a client sees of a resource: our id, every normalised column of its kind, and its bookkeeping. */
function viewColumns(kind: ResourceKind): ViewColumn[] {
  return [...IDENTITY, ...kind.columns.map((column) => ({ name: column.name, time: column.type === 'timestamptz' })), ...BOOKKEEPING];
}

/** `lateral` joins the view's columns to each row of `alias`; `json` is then the view as JSON text. */
export interface ViewSql {
  lateral: string;
  json: string;
}

const cache = new Map<string, ViewSql>();

/**
 * The view of a row, as JSON text built by PostgreSQL. A page of a hundred
 * resources then crosses the driver as a hundred strings instead of thousands
 * of typed values to parse and serialise again: at a million rows and dozens
 * of concurrent clients, the single Node process is the bottleneck.
 * row_to_json of a named row writes compact JSON (json_build_object adds
 * spaces) in the columns' order. `raw` (it can be large) only when asked for:
 * the single-resource view.
 */
export function viewSql(kind: ResourceKind, alias: string, options: { withRaw: boolean }): ViewSql {
  const cacheKey = `${kind.table}:${alias}:${options.withRaw}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const columns = viewColumns(kind).map(({ name, time }) => `${time ? isoTimeSql(`${alias}.${name}`) : `${alias}.${name}`} AS ${name}`);
  if (options.withRaw) columns.push(`${alias}.raw AS raw`);
  const view: ViewSql = { lateral: `CROSS JOIN LATERAL (SELECT ${columns.join(', ')}) AS ${alias}_view`, json: `row_to_json(${alias}_view)::text` };
  cache.set(cacheKey, view);
  return view;
}
