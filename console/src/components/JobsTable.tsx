import { Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { SyncJob } from '../api/types';
import { formatDuration, formatTime } from './format';
import { StatusBadge } from './StatusBadge';
import { DataTable } from './DataTable';

export function JobsTable({ jobs }: { jobs: SyncJob[] }) {
  return (
    <DataTable minWidth={760} head={['Job', 'Status', 'Scope', 'Trigger', 'Items', 'Created · updated · deleted · failed', 'Started', 'Took']}>
      {jobs.map((job) => (
        <Table.Tr key={job.job_id}>
          <Table.Td>
            <Link className="link mono" to={`/jobs/${job.job_id}`}>
              {job.job_id.slice(0, 8)}
            </Link>
          </Table.Td>
          <Table.Td>
            <StatusBadge value={job.status} />
            {job.error && (
              <Text size="xs" c="red">
                {job.error.code}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            {job.vendor} · {job.resource_type} · {job.region ?? 'all'}
          </Table.Td>
          <Table.Td>{job.trigger}</Table.Td>
          <Table.Td>{job.progress.items_done}</Table.Td>
          <Table.Td>
            {job.created} · {job.updated} · {job.deleted} · {job.total_failed}
          </Table.Td>
          <Table.Td>{formatTime(job.started_at ?? job.created_at)}</Table.Td>
          <Table.Td>{formatDuration(job.duration_ms)}</Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
