import { Alert, Card, Group, Progress, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { ITEM_ACTIONS, ItemAction, ItemResultPage, SyncJob } from '../api/types';
import { formatDuration, formatTime } from '../components/format';
import { PagingControls, useCursorPages } from '../components/paging';
import { EmptyState, QueryState } from '../components/states';
import { StatusBadge } from '../components/StatusBadge';
import { DataTable } from '../components/DataTable';

const RUNNING = new Set(['queued', 'running']);

/** A job: polled while it runs (progress), then its per-item results. */
export function JobPage() {
  const { id } = useParams();
  const job = useQuery({
    queryKey: ['sync-jobs', 'one', id],
    queryFn: () => api<SyncJob>(`/sync-jobs/${id}`),
    refetchInterval: (query) => (query.state.data && !RUNNING.has(query.state.data.status) ? false : 1000),
  });
  return <QueryState query={job}>{(data) => <JobView job={data} />}</QueryState>;
}

function JobView({ job }: { job: SyncJob }) {
  const running = RUNNING.has(job.status);
  const counts: [string, number][] = [
    ['created', job.created],
    ['updated', job.updated],
    ['unchanged', job.unchanged],
    ['deleted', job.deleted],
    ['failed', job.total_failed],
  ];
  return (
    <Stack>
      <Group>
        <Title order={1} size="h2">
          Sync job
        </Title>
        <span data-testid="job-status">
          <StatusBadge value={job.status} />
        </span>
      </Group>
      <Text size="sm" c="dimmed" className="mono">
        {job.job_id}
      </Text>
      <Text>
        {job.vendor} · {job.resource_type === 'rds' ? 'databases' : 'hosts'} · {job.region ?? 'every region'} · triggered by {job.trigger}
      </Text>
      <Card withBorder>
        <Text size="sm" aria-live="polite">
          {job.progress.pages_done} pages, {job.progress.items_done.toLocaleString()} items {running ? 'so far' : 'in all'} · started {formatTime(job.started_at)} · took{' '}
          {formatDuration(job.duration_ms)}
        </Text>
        {running && <Progress value={100} animated mt="xs" aria-label="Sync in progress" />}
        <Group mt="sm" gap="lg">
          {counts.map(([label, count]) => (
            <div key={label}>
              <Text size="xl" fw={700}>
                {count.toLocaleString()}
              </Text>
              <Text size="xs" c="dimmed">
                {label}
              </Text>
            </div>
          ))}
        </Group>
      </Card>
      {job.error && (
        <Alert color="red" title={`Vendor error ${job.error.code}`} role="alert">
          <Text size="sm">{job.error.message}</Text>
          <Text size="xs" c="dimmed">
            {job.error.vendor ?? ''} {job.error.http_status ? `HTTP ${job.error.http_status}` : ''} {job.error.request_id ? `· vendor request id ${job.error.request_id}` : ''}
          </Text>
        </Alert>
      )}
      <JobItems jobId={job.job_id} running={running} />
    </Stack>
  );
}

function JobItems({ jobId, running }: { jobId: string; running: boolean }) {
  const [action, setAction] = useState<ItemAction | 'all'>('all');
  const paging = useCursorPages(action);
  const items = useQuery({
    // `running` in the key: the items read while the job ran are refetched once it ends.
    queryKey: ['sync-jobs', 'items', jobId, running, action, paging.cursor],
    queryFn: () => api<ItemResultPage>(`/sync-jobs/${jobId}/items`, { query: { action: action === 'all' ? undefined : action, cursor: paging.cursor, limit: 50 } }),
    placeholderData: keepPreviousData,
    refetchInterval: running ? 2000 : false,
  });
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Items
      </Title>
      <SegmentedControl
        aria-label="Show items"
        data={['all', ...ITEM_ACTIONS]}
        value={action}
        onChange={(value) => setAction(value as ItemAction | 'all')}
      />
      <QueryState query={items}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{running ? 'No items yet.' : 'No items.'}</EmptyState>
          ) : (
            <>
              <DataTable minWidth={600} testId="job-items" head={['Instance', 'Name', 'Result', 'Reason']}>
                {page.items.map((item, index) => (
                  <Table.Tr key={`${item.instance_id}-${index}`}>
                    <Table.Td className="mono">{item.instance_id ?? '—'}</Table.Td>
                    <Table.Td>{item.name ?? '—'}</Table.Td>
                    <Table.Td>
                      <StatusBadge value={item.action} />
                    </Table.Td>
                    <Table.Td>{item.message ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </DataTable>
              <PagingControls paging={paging} nextCursor={page.next_cursor} count={page.items.length} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
