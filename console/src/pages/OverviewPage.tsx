import { Button, Card, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Counts, SecretPage, Stats, SyncJobPage, VerifyResult } from '../api/types';
import { useSession } from '../auth/session';
import { JobsTable } from '../components/JobsTable';
import { PublishingCard } from '../components/PublishingCard';
import { EmptyState, ErrorState, QueryState } from '../components/states';

function CountsCard({ title, counts }: { title: string; counts: Counts }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing yet
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {rows.map(([key, count]) => (
              <Table.Tr key={key}>
                <Table.Td>{key}</Table.Td>
                <Table.Td ta="right">{count.toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

export function OverviewPage() {
  const session = useSession();
  const stats = useQuery({ queryKey: ['stats'], queryFn: () => api<Stats>('/stats') });
  const recent = useQuery({ queryKey: ['sync-jobs', 'recent'], queryFn: () => api<SyncJobPage>('/sync-jobs', { query: { limit: 10 } }) });
  const failed = useQuery({ queryKey: ['sync-jobs', 'failed'], queryFn: () => api<SyncJobPage>('/sync-jobs', { query: { limit: 10, status: 'failed' } }) });
  return (
    <Stack>
      <Title order={1} size="h2">
        Overview
      </Title>
      <QueryState query={stats} loading="Loading counts">
        {(data) => (
          <div className="cards">
            <CountsCard title={`By resource type (${data.total.toLocaleString()} active)`} counts={{ hosts: data.by_resource_type.host, databases: data.by_resource_type.rds }} />
            <CountsCard title="By vendor" counts={data.by_vendor} />
            <CountsCard title="By status" counts={data.by_status} />
            <CountsCard title="By region" counts={data.by_region} />
          </div>
        )}
      </QueryState>
      <Title order={2} size="h3">
        Needs attention
      </Title>
      <QueryState query={failed}>
        {(page) => (page.items.length === 0 ? <EmptyState>No failed jobs.</EmptyState> : <JobsTable jobs={page.items} />)}
      </QueryState>
      {session.can('operator') && <SecretHealth />}
      <PublishingCard />
      <Group justify="space-between">
        <Title order={2} size="h3">
          Recent jobs
        </Title>
        <Link className="link" to="/jobs">
          All jobs
        </Link>
      </Group>
      <QueryState query={recent}>{(page) => (page.items.length === 0 ? <EmptyState>No sync has run yet.</EmptyState> : <JobsTable jobs={page.items} />)}</QueryState>
    </Stack>
  );
}

/** Verifying costs a vendor call per secret: on demand, not on every visit. */
function SecretHealth() {
  const session = useSession();
  const check = useMutation({
    mutationFn: async () => {
      const secrets = await api<SecretPage>('/secrets', { query: { limit: 500 } });
      const results = await Promise.all(
        secrets.items.map(async (secret) => {
          const region = secret.vendor === 'vsphere' ? undefined : secret.allow_regions.find((r) => r !== '*');
          const result = await api<VerifyResult>(`/secrets/${secret.id}/verify`, { method: 'POST', body: region ? { region } : {} });
          return { secret, result };
        }),
      );
      return results.filter(({ result }) => !result.ok);
    },
  });
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Text fw={600}>Secrets that fail to verify</Text>
        <Button size="xs" variant="default" onClick={() => check.mutate()} loading={check.isPending}>
          Verify every secret
        </Button>
      </Group>
      {check.error && <ErrorState error={check.error} />}
      {check.data &&
        (check.data.length === 0 ? (
          <Text size="sm" c="green">
            Every secret verifies.
          </Text>
        ) : (
          <List size="sm" mt="xs">
            {check.data.map(({ secret, result }) => (
              <List.Item key={secret.id}>
                {session.can('admin') ? (
                  <Link className="link" to={`/secrets/${secret.id}`}>
                    {secret.name}
                  </Link>
                ) : (
                  secret.name
                )}{' '}
                ({secret.vendor}): {result.error?.code} {result.error?.message}
              </List.Item>
            ))}
          </List>
        ))}
    </Card>
  );
}
