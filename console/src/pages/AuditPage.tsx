import { Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import type { AuditEntryPage, AuditQuery } from '../api/types';
import { formatTime, formatValue } from '../components/format';
import { PagingControls, useCursorPages } from '../components/paging';
import { EmptyState, QueryState } from '../components/states';
import { DataTable } from '../components/DataTable';

const ACTIONS: NonNullable<AuditQuery['action']>[] = ['secret.created', 'secret.updated', 'secret.deleted', 'token.created', 'token.deleted', 'sync.triggered'];
const TARGET_KINDS: NonNullable<AuditQuery['target_kind']>[] = ['secret', 'token', 'sync_job'];

export function AuditPage() {
  const [action, setAction] = useState<string | null>(null);
  const [targetKind, setTargetKind] = useState<string | null>(null);
  const [targetId, setTargetId] = useState('');
  const paging = useCursorPages(`${action}/${targetKind}/${targetId}`);
  const entries = useQuery({
    queryKey: ['audit', action, targetKind, targetId, paging.cursor],
    queryFn: () => api<AuditEntryPage>('/audit', { query: { action, target_kind: targetKind, target_id: targetId.trim(), cursor: paging.cursor, limit: 50 } }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        Audit log
      </Title>
      <div className="filters">
        <Select label="Action" placeholder="Any" data={ACTIONS} value={action} onChange={setAction} clearable />
        <Select label="Target kind" placeholder="Any" data={TARGET_KINDS} value={targetKind} onChange={setTargetKind} clearable />
        <TextInput label="Target id" value={targetId} onChange={(e) => setTargetId(e.currentTarget.value)} />
      </div>
      <QueryState query={entries}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>No audit entries match.</EmptyState>
          ) : (
            <>
              <DataTable minWidth={900} head={['When', 'Who', 'Action', 'Target', 'Details', 'Request id']}>
                {page.items.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{formatTime(entry.at)}</Table.Td>
                    <Table.Td>{entry.actor.name}</Table.Td>
                    <Table.Td>{entry.action}</Table.Td>
                    <Table.Td className="mono">
                      {entry.target.kind} {entry.target.id}
                    </Table.Td>
                    <Table.Td className="mono">{formatValue(entry.details)}</Table.Td>
                    <Table.Td className="mono">{entry.request_id}</Table.Td>
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
