import { Button, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import type { SecretPage, SyncJob } from '../api/types';
import { EmptyState, ErrorState, QueryState } from '../components/states';

/** Start a full sync of one scope; its page then shows the progress and the per-item results. */
export function SyncPage() {
  const navigate = useNavigate();
  const secrets = useQuery({ queryKey: ['secrets', null], queryFn: () => api<SecretPage>('/secrets', { query: { limit: 500 } }) });
  const [secretId, setSecretId] = useState<string | null>(null);
  const [region, setRegion] = useState<string>('');
  const [resourceType, setResourceType] = useState<'host' | 'rds'>('host');
  const secret = secrets.data?.items.find((one) => one.id === secretId);
  const regions = secret?.allow_regions.filter((one) => one !== '*') ?? [];
  const anyRegion = secret?.allow_regions.includes('*') ?? false;
  const start = useMutation({
    mutationFn: () =>
      api<SyncJob>(`/secrets/${secretId}/sync`, {
        method: 'POST',
        query: { wait: false },
        body: { resource_type: resourceType, ...(secret?.vendor === 'vsphere' ? {} : { region }) },
      }),
    onSuccess: (job) => navigate(`/jobs/${job.job_id}`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <Stack maw={560}>
      <Title order={1} size="h2">
        Sync
      </Title>
      <QueryState query={secrets}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Register a secret first.</EmptyState>
          ) : (
            <form onSubmit={submit}>
              <Stack>
                <Select
                  label="Secret"
                  required
                  data={page.items.map((one) => ({ value: one.id, label: `${one.name} (${one.vendor})` }))}
                  value={secretId}
                  onChange={(value) => {
                    setSecretId(value);
                    setRegion('');
                  }}
                  searchable
                />
                {secret && secret.vendor !== 'vsphere' && (anyRegion ? (
                  <TextInput label="Region" required description="This secret allows every region: type one" value={region} onChange={(e) => setRegion(e.currentTarget.value)} />
                ) : (
                  <Select label="Region" required data={regions} value={region || null} onChange={(value) => setRegion(value ?? '')} />
                ))}
                <Select
                  label="Resource type"
                  data={[
                    { value: 'host', label: 'Hosts' },
                    { value: 'rds', label: 'Databases' },
                  ]}
                  value={resourceType}
                  onChange={(value) => value && setResourceType(value as 'host' | 'rds')}
                  allowDeselect={false}
                />
                {secret?.vendor === 'vsphere' && (
                  <Text size="sm" c="dimmed">
                    vSphere syncs the whole vCenter: no region.
                  </Text>
                )}
                {start.error && <ErrorState title="The sync did not start" error={start.error} />}
                <Button type="submit" loading={start.isPending} disabled={!secretId}>
                  Start sync
                </Button>
              </Stack>
            </form>
          )
        }
      </QueryState>
    </Stack>
  );
}
