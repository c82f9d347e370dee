import { Button, Group, Select, Stack, Table, TagsInput, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { ResourceListPage, SecretPage, VENDORS } from '../api/types';
import { useSession } from '../auth/session';
import { download, EXPORT_LIMIT, exportCsv } from '../components/csv-export';
import { formatValue } from '../components/format';
import { PagingControls, useCursorPages } from '../components/paging';
import { fieldOf, FILTER_KEYS, KINDS, queryFromParams, ResourceKindPath, SORT_FIELDS, sortOf, STATUSES } from '../components/resource-kinds';
import { EmptyState, ErrorState, QueryState } from '../components/states';
import { StatusBadge } from '../components/StatusBadge';

const PAGE_SIZE = 50;

/** Hosts or databases: every filter of the API, sorting, keyset pages, CSV of the current filter. */
export function ResourcesPage({ kind }: { kind: ResourceKindPath }) {
  const meta = KINDS[kind];
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const query = queryFromParams(params, kind);
  const filterKey = params.toString();
  const paging = useCursorPages(filterKey);
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debouncedSearch] = useDebouncedValue(search, 300);

  const setFilter = (key: string, value: string | string[] | null) => {
    const next = new URLSearchParams(params);
    next.delete(key);
    for (const one of Array.isArray(value) ? value : value ? [value] : []) next.append(key, one);
    setParams(next, { replace: true });
  };
  // The search box filters once typing pauses.
  useEffect(() => {
    if ((params.get('q') ?? '') !== debouncedSearch.trim()) setFilter('q', debouncedSearch.trim() || null);
  }, [debouncedSearch]);

  const list = useQuery({
    queryKey: [kind, 'list', filterKey, paging.cursor],
    queryFn: () => api<ResourceListPage>(`/${kind}`, { query: { ...query, cursor: paging.cursor, limit: PAGE_SIZE, count: true } }),
    placeholderData: keepPreviousData,
  });
  const secrets = useQuery({ queryKey: ['secrets', null], queryFn: () => api<SecretPage>('/secrets', { query: { limit: 500 } }), enabled: session.can('operator') });
  const [exported, setExported] = useState(0);
  const csv = useMutation({
    mutationFn: () => exportCsv(`/${kind}`, query, setExported),
    onSuccess: (text) => download(`${kind}-${new Date().toISOString().slice(0, 19)}.csv`, text),
  });

  const sort = sortOf(query);
  const sortBy = (field: string) => setFilter('sort', sort === field ? `-${field}` : field);
  const sortLabel = (field: string) => (sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : undefined);
  const header = (field: string, label: string) =>
    SORT_FIELDS.includes(field) ? (
      <Table.Th key={field} aria-sort={sortLabel(field) ?? 'none'}>
        <UnstyledButton onClick={() => sortBy(field)} fw={600} fz="sm">
          {label} {sort === field ? '▲' : sort === `-${field}` ? '▼' : ''}
        </UnstyledButton>
      </Table.Th>
    ) : (
      <Table.Th key={field}>{label}</Table.Th>
    );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {meta.title}
        </Title>
        <Button variant="default" onClick={() => csv.mutate()} loading={csv.isPending}>
          Export CSV
        </Button>
      </Group>
      {csv.isPending && <Text size="sm">Exporting… {exported.toLocaleString()} rows</Text>}
      {csv.error && <ErrorState title="Export failed" error={csv.error} />}
      {csv.isSuccess && exported >= EXPORT_LIMIT && <Text size="sm">The export stopped at {EXPORT_LIMIT.toLocaleString()} rows: narrow the filter.</Text>}
      <form role="search" onSubmit={(event) => event.preventDefault()}>
        <div className="filters">
          <TextInput label="Search" placeholder="name, instance id or IP" value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
          <Select label="Vendor" placeholder="Any" data={VENDORS} value={query.vendor ?? null} onChange={(v) => setFilter('vendor', v)} clearable />
          {session.can('operator') && (
            <Select
              label="Secret"
              placeholder="Any"
              data={(secrets.data?.items ?? []).map((one) => ({ value: one.id, label: one.name }))}
              value={query.secret_id ?? null}
              onChange={(v) => setFilter('secret_id', v)}
              clearable
              searchable
            />
          )}
          <FilterText label="Region" value={query.region} onChange={(v) => setFilter('region', v)} />
          <FilterText label="Zone" value={query.zone} onChange={(v) => setFilter('zone', v)} />
          <Select label="Status" placeholder="Any" data={STATUSES} value={query.status ?? null} onChange={(v) => setFilter('status', v)} clearable />
          <FilterText label={meta.typeLabel} value={query[meta.typeFilter]} onChange={(v) => setFilter(meta.typeFilter, v)} />
          <TagsInput label="Tags" placeholder="env=prod" value={query.tag ?? []} onChange={(v) => setFilter('tag', v)} />
          <Select
            label="State"
            data={[
              { value: 'active', label: 'Active' },
              { value: 'deleted', label: 'Deleted' },
              { value: 'all', label: 'All' },
            ]}
            value={query.state ?? 'active'}
            onChange={(v) => setFilter('state', v === 'active' ? null : v)}
            allowDeselect={false}
          />
          <Select
            label="Sort"
            data={SORT_FIELDS.flatMap((field) => [
              { value: field, label: `${field} ↑` },
              { value: `-${field}`, label: `${field} ↓` },
            ])}
            value={sort}
            onChange={(v) => setFilter('sort', v === 'name' ? null : v)}
            allowDeselect={false}
          />
          <Button variant="subtle" onClick={() => (setSearch(''), setParams(new URLSearchParams(), { replace: true }))} disabled={!FILTER_KEYS.some((key) => params.has(key)) && !params.has('tag')}>
            Clear filters
          </Button>
        </div>
      </form>
      <QueryState query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>No {meta.noun}s match these filters.</EmptyState>
          ) : (
            <>
              <Table.ScrollContainer minWidth={1000}>
                <Table striped highlightOnHover data-testid="resource-table">
                  <Table.Thead>
                    <Table.Tr>
                      {header('name', 'Name')}
                      <Table.Th>Instance id</Table.Th>
                      <Table.Th>Vendor</Table.Th>
                      <Table.Th>Region · zone</Table.Th>
                      <Table.Th>Status</Table.Th>
                      {meta.columns.map((column) => header(column.key, column.label))}
                      {header('created_at', 'Created')}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((item) => (
                      <Table.Tr key={item.id}>
                        <Table.Td>
                          <Link className="link" to={`/${kind}/${item.id}`}>
                            {item.name || item.instance_id}
                          </Link>
                        </Table.Td>
                        <Table.Td className="mono">{item.instance_id}</Table.Td>
                        <Table.Td>{item.vendor}</Table.Td>
                        <Table.Td>
                          {formatValue(item.region)} · {formatValue(item.zone)}
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge value={item.state === 'deleted' ? 'deleted' : item.status} />
                        </Table.Td>
                        {meta.columns.map((column) => (
                          <Table.Td key={column.key}>{formatValue(fieldOf(item, column.key))}</Table.Td>
                        ))}
                        <Table.Td>{formatValue(typeof item.vendor_created_at === 'string' ? item.vendor_created_at.slice(0, 10) : null)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <PagingControls paging={paging} nextCursor={page.next_cursor} count={page.items.length} total={page.total} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}

/** A free-text filter applied on Enter or when the field loses focus, not on each key. */
function FilterText({ label, value, onChange }: { label: string; value: string | undefined; onChange: (value: string | null) => void }) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const apply = () => onChange(text.trim() || null);
  return (
    <TextInput
      label={label}
      placeholder="Any"
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={apply}
      onKeyDown={(e) => {
        if (e.key === 'Enter') apply();
      }}
    />
  );
}
