import { createHash } from 'node:crypto';
import type { ResourceRecord } from '../providers/provider';
import type { ResourceKind } from './resource-columns';

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * sha256 of the record's tracked columns in canonical JSON. The raw payload and
 * the query time are left out: they change on every listing without the
 * resource changing.
 */
export function recordChecksum(kind: ResourceKind, record: ResourceRecord): string {
  const tracked: Record<string, unknown> = {};
  for (const column of kind.columns) tracked[column.name] = column.value(record) ?? null;
  return createHash('sha256').update(canonicalJson(tracked)).digest('hex');
}
