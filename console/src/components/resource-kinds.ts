import type { Resource, ResourceQuery, Sort } from '../api/types';

export type ResourceKindPath = 'hosts' | 'databases';

/** What differs between the hosts and the databases pages. */
export const KINDS: Record<ResourceKindPath, { title: string; noun: string; typeFilter: 'instance_type' | 'engine'; typeLabel: string; columns: { key: string; label: string }[] }> = {
  hosts: {
    title: 'Hosts',
    noun: 'host',
    typeFilter: 'instance_type',
    typeLabel: 'Instance type',
    columns: [
      { key: 'instance_type', label: 'Type' },
      { key: 'cpu', label: 'vCPU' },
      { key: 'memory_mib', label: 'Memory (MiB)' },
      { key: 'private_ips', label: 'Private IPs' },
    ],
  },
  databases: {
    title: 'Databases',
    noun: 'database',
    typeFilter: 'engine',
    typeLabel: 'Engine',
    columns: [
      { key: 'engine', label: 'Engine' },
      { key: 'engine_version', label: 'Version' },
      { key: 'instance_class', label: 'Class' },
      { key: 'memory_mib', label: 'Memory (MiB)' },
    ],
  },
};

/** A column of a resource by name (the kinds' columns differ). */
export function fieldOf(resource: Resource, key: string): unknown {
  const fields: Record<string, unknown> = resource;
  return fields[key];
}

export const STATUSES = ['pending', 'running', 'stopping', 'stopped', 'starting', 'rebooting', 'error', 'deleting', 'unknown'];
export const SORT_FIELDS = ['name', 'created_at', 'updated_at', 'cpu', 'memory_mib'];

/** The filters a list page keeps in its URL (shareable, no token in it); `tag` may repeat. */
export const FILTER_KEYS = ['vendor', 'secret_id', 'region', 'zone', 'status', 'instance_type', 'engine', 'q', 'state', 'sort'] as const;

export function queryFromParams(params: URLSearchParams, kind: ResourceKindPath): ResourceQuery {
  const query: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (!value) continue;
    if ((key === 'instance_type' || key === 'engine') && key !== KINDS[kind].typeFilter) continue;
    query[key] = value;
  }
  const tags = params.getAll('tag');
  if (tags.length) query.tag = tags;
  return query as ResourceQuery;
}

export function sortOf(query: ResourceQuery): Sort {
  return query.sort ?? 'name';
}
