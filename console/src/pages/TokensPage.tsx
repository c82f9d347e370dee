import { Alert, Button, Code, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { api } from '../api/client';
import { CreatedToken, Role, ROLES, TokenPage } from '../api/types';
import { formatTime } from '../components/format';
import { PagingControls, useCursorPages } from '../components/paging';
import { EmptyState, ErrorState, QueryState } from '../components/states';
import { DataTable } from '../components/DataTable';

export function TokensPage() {
  const queries = useQueryClient();
  const paging = useCursorPages();
  const tokens = useQuery({
    queryKey: ['tokens', paging.cursor],
    queryFn: () => api<TokenPage>('/tokens', { query: { cursor: paging.cursor, limit: 50 } }),
    placeholderData: keepPreviousData,
  });
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [expiresAt, setExpiresAt] = useState('');
  const create = useMutation({
    mutationFn: () => api<CreatedToken>('/tokens', { method: 'POST', body: { name, role, ...(expiresAt ? { expires_at: new Date(expiresAt).toISOString() } : {}) } }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <Title order={1} size="h2">
        API tokens
      </Title>
      <form onSubmit={submit}>
        <div className="filters">
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select label="Role" data={ROLES} value={role} onChange={(value) => value && setRole(value as Role)} allowDeselect={false} />
          <TextInput label="Expires (optional)" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.currentTarget.value)} />
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </div>
      </form>
      {create.error && <ErrorState error={create.error} />}
      {create.data && (
        <Alert color="green" title={`Token "${create.data.name}" created: copy it now, it is never shown again`}>
          <Code block data-testid="new-token">
            {create.data.token}
          </Code>
        </Alert>
      )}
      {revoke.error && <ErrorState error={revoke.error} />}
      <QueryState query={tokens}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>No stored tokens.</EmptyState>
          ) : (
            <>
              <DataTable minWidth={700} head={['Name', 'Role', 'Prefix', 'Expires', 'Last used', 'Created', 'Actions']}>
                {page.items.map((token) => (
                  <Table.Tr key={token.id}>
                    <Table.Td>{token.name}</Table.Td>
                    <Table.Td>{token.role}</Table.Td>
                    <Table.Td className="mono">{token.prefix}</Table.Td>
                    <Table.Td>{token.expires_at ? formatTime(token.expires_at) : 'never'}</Table.Td>
                    <Table.Td>{formatTime(token.last_used_at)}</Table.Td>
                    <Table.Td>{formatTime(token.created_at)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        color="red"
                        variant="subtle"
                        aria-label={`Revoke ${token.name}`}
                        onClick={() => window.confirm(`Revoke the token "${token.name}"? It stops working at once.`) && revoke.mutate(token.id)}
                      >
                        Revoke
                      </Button>
                    </Table.Td>
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
