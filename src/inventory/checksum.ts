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
  // The columns come in a fixed order: only their object values need their keys sorted.
  const tracked = kind.columns.map((column) => {
    const value = column.value(record) ?? null;
    return column.type === 'jsonb' ? canonicalJson(value) : JSON.stringify(value);
  });
  return createHash('sha256').update(tracked.join('\u0000')).digest('hex');
}
