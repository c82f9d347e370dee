import { Badge, Code, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { ResourceChangePage, ResourceDetail } from '../api/types';
import { formatTime, formatValue } from '../components/format';
import { PagingControls, useCursorPages } from '../components/paging';
import { KINDS, ResourceKindPath } from '../components/resource-kinds';
import { EmptyState, QueryState } from '../components/states';
import { StatusBadge } from '../components/StatusBadge';

/** A resource: its fields, tags, raw vendor payload, and history as field-by-field diffs. */
export function ResourcePage({ kind }: { kind: ResourceKindPath }) {
  const { id } = useParams();
  const resource = useQuery({ queryKey: [kind, 'one', id], queryFn: () => api<ResourceDetail>(`/${kind}/${encodeURIComponent(id!)}`) });
  return (
    <Stack>
      <Link className="link" to={`/${kind}`}>
        ← {KINDS[kind].title}
      </Link>
      <QueryState query={resource}>{(data) => <ResourceView kind={kind} resource={data} />}</QueryState>
    </Stack>
  );
}

function ResourceView({ kind, resource }: { kind: ResourceKindPath; resource: ResourceDetail }) {
  const { raw, tags, ...fields } = resource;
  return (
    <Stack>
      <Group>
        <Title order={1} size="h2">
          {resource.name || resource.instance_id}
        </Title>
        <StatusBadge value={resource.state === 'deleted' ? 'deleted' : resource.status} />
      </Group>
      <Group gap="xs">
        {Object.entries(tags ?? {}).length === 0 ? (
          <Text size="sm" c="dimmed">
            No tags
          </Text>
        ) : (
          Object.entries(tags ?? {}).map(([key, value]) => (
            <Badge key={key} variant="outline" tt="none">
              {key}={value}
            </Badge>
          ))
        )}
      </Group>
      <Tabs defaultValue="fields" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="fields">Fields</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
          <Tabs.Tab value="raw">Raw payload</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="fields" pt="sm">
          <Table.ScrollContainer minWidth={400}>
            <Table>
              <Table.Tbody>
                {Object.entries(fields).map(([key, value]) => (
                  <Table.Tr key={key}>
                    <Table.Th scope="row" w={220}>
                      {key}
                    </Table.Th>
                    <Table.Td className={key.endsWith('id') ? 'mono' : undefined}>{key.endsWith('_at') && typeof value === 'string' ? formatTime(value) : formatValue(value)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="sm">
          <History kind={kind} id={resource.id} />
        </Tabs.Panel>
        <Tabs.Panel value="raw" pt="sm">
          <Code block className="raw" data-testid="raw-payload">
            {JSON.stringify(raw, null, 2)}
          </Code>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function History({ kind, id }: { kind: ResourceKindPath; id: string }) {
  const paging = useCursorPages(id);
  const history = useQuery({
    queryKey: [kind, 'history', id, paging.cursor],
    queryFn: () => api<ResourceChangePage>(`/${kind}/${id}/history`, { query: { cursor: paging.cursor, limit: 20 } }),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryState query={history}>
      {(page) =>
        page.items.length === 0 ? (
          <EmptyState>No recorded changes.</EmptyState>
        ) : (
          <Stack data-testid="history">
            {page.items.map((change) => (
              <div key={change.revision}>
                <Group gap="xs">
                  <StatusBadge value={change.change_type} />
                  <Text size="sm">
                    revision {change.revision} · {formatTime(change.changed_at)}
                  </Text>
                  {change.job_id && (
                    <Link className="link" to={`/jobs/${change.job_id}`}>
                      job {change.job_id.slice(0, 8)}
                    </Link>
                  )}
                </Group>
                {change.changed_fields && Object.keys(change.changed_fields).length > 0 && (
                  <Table.ScrollContainer minWidth={500}>
                    <Table withTableBorder>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Field</Table.Th>
                          <Table.Th>Before</Table.Th>
                          <Table.Th>After</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {Object.entries(change.changed_fields).map(([field, diff]) => (
                          <Table.Tr key={field}>
                            <Table.Td>{field}</Table.Td>
                            <Table.Td className="diff-old">{formatValue(diff.old)}</Table.Td>
                            <Table.Td className="diff-new">{formatValue(diff.new)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </div>
            ))}
            <PagingControls paging={paging} nextCursor={page.next_cursor} count={page.items.length} />
          </Stack>
        )
      }
    </QueryState>
  );
}
