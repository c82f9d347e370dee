import { Select, Stack, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { JOB_STATUSES, SecretPage, SyncJobPage } from '../api/types';
import { useSession } from '../auth/session';
import { JobsTable } from '../components/JobsTable';
import { PagingControls, useCursorPages } from '../components/paging';
import { EmptyState, QueryState } from '../components/states';

export function JobsPage() {
  const session = useSession();
  const [status, setStatus] = useState<string | null>(null);
  const [trigger, setTrigger] = useState<string | null>(null);
  const [secretId, setSecretId] = useState<string | null>(null);
  const paging = useCursorPages(`${status}/${trigger}/${secretId}`);
  // Secrets' names for the filter: operators may list them; a viewer filters without it.
  const secrets = useQuery({ queryKey: ['secrets', null], queryFn: () => api<SecretPage>('/secrets', { query: { limit: 500 } }), enabled: session.can('operator') });
  const jobs = useQuery({
    queryKey: ['sync-jobs', 'list', status, trigger, secretId, paging.cursor],
    queryFn: () => api<SyncJobPage>('/sync-jobs', { query: { status, trigger, secret_id: secretId, cursor: paging.cursor, limit: 50 } }),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        Jobs
      </Title>
      <div className="filters">
        <Select label="Status" placeholder="Any" data={JOB_STATUSES} value={status} onChange={setStatus} clearable />
        <Select label="Trigger" placeholder="Any" data={['api', 'schedule', 'event']} value={trigger} onChange={setTrigger} clearable />
        {session.can('operator') && (
          <Select
            label="Secret"
            placeholder="Any"
            data={(secrets.data?.items ?? []).map((one) => ({ value: one.id, label: one.name }))}
            value={secretId}
            onChange={setSecretId}
            clearable
            searchable
          />
        )}
      </div>
      <QueryState query={jobs}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>No jobs match.</EmptyState>
          ) : (
            <>
              <JobsTable jobs={page.items} />
              <PagingControls paging={paging} nextCursor={page.next_cursor} count={page.items.length} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
