import { Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { SecretPage, SecretView, VENDORS, VerifyResult } from '../api/types';
import { useSession } from '../auth/session';
import { formatTime } from '../components/format';
import { EmptyState, ErrorState, QueryState } from '../components/states';
import { DataTable } from '../components/DataTable';
import { SecretLiveBadge } from '../components/SecretLive';

export function SecretsPage() {
  const session = useSession();
  const [vendor, setVendor] = useState<string | null>(null);
  const secrets = useQuery({
    queryKey: ['secrets', vendor],
    queryFn: () => api<SecretPage>('/secrets', { query: { vendor, limit: 500 } }),
    // A vCenter feed's state is not an inventory change (the live feed does not carry it): poll while one is followed.
    refetchInterval: (query) => (query.state.data?.items.some((secret) => secret.watch) ? 3000 : false),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Secrets
        </Title>
        {session.can('admin') && (
          <Button component={Link} to="/secrets/new">
            New secret
          </Button>
        )}
      </Group>
      <Select label="Vendor" placeholder="Every vendor" data={VENDORS} value={vendor} onChange={setVendor} clearable w={200} />
      <QueryState query={secrets}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>No secrets{vendor ? ` for ${vendor}` : ''} yet.</EmptyState>
          ) : (
            <DataTable minWidth={1000} head={['Name', 'Vendor', 'API key', 'Regions', 'Schedule', 'Next run', 'Live', 'Actions']}>
              {page.items.map((secret) => (
                <SecretRow key={secret.id} secret={secret} />
              ))}
            </DataTable>
          )
        }
      </QueryState>
    </Stack>
  );
}

function SecretRow({ secret }: { secret: SecretView }) {
  const session = useSession();
  const queries = useQueryClient();
  const region = secret.vendor === 'vsphere' ? undefined : secret.allow_regions.find((r) => r !== '*');
  const verify = useMutation({ mutationFn: () => api<VerifyResult>(`/secrets/${secret.id}/verify`, { method: 'POST', body: region ? { region } : {} }) });
  const remove = useMutation({
    mutationFn: () => api(`/secrets/${secret.id}`, { method: 'DELETE' }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['secrets'] }),
  });
  return (
    <Table.Tr>
      <Table.Td>
        {session.can('admin') ? (
          <Link className="link" to={`/secrets/${secret.id}`}>
            {secret.name}
          </Link>
        ) : (
          secret.name
        )}
        {!secret.enabled && (
          <Badge ml="xs" color="gray" variant="outline">
            disabled
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{secret.vendor}</Table.Td>
      <Table.Td className="mono">{secret.api_key}</Table.Td>
      <Table.Td>{secret.vendor === 'vsphere' ? secret.address : secret.allow_regions.join(', ')}</Table.Td>
      <Table.Td className="mono">{secret.effective_schedule ?? 'off'}</Table.Td>
      <Table.Td>{formatTime(secret.next_sync_at)}</Table.Td>
      <Table.Td>
        <SecretLiveBadge secret={secret} />
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="compact-sm" variant="default" onClick={() => verify.mutate()} loading={verify.isPending} aria-label={`Verify ${secret.name}`}>
            Verify
          </Button>
          {session.can('admin') && (
            <Button
              size="compact-sm"
              color="red"
              variant="subtle"
              aria-label={`Delete ${secret.name}`}
              loading={remove.isPending}
              onClick={() => window.confirm(`Delete the secret "${secret.name}"? Its resources stay in the inventory.`) && remove.mutate()}
            >
              Delete
            </Button>
          )}
        </Group>
        {verify.data && (
          <Text size="xs" c={verify.data.ok ? 'green' : 'red'} role="status">
            {verify.data.ok ? `OK (${verify.data.latency_ms} ms)` : `${verify.data.error?.code}: ${verify.data.error?.message}`}
          </Text>
        )}
        {verify.error && <ErrorState error={verify.error} />}
        {remove.error && <ErrorState error={remove.error} />}
      </Table.Td>
    </Table.Tr>
  );
}
