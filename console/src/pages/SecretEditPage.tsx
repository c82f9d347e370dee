import { Button, Checkbox, Group, NumberInput, PasswordInput, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { CreateSecretBody, SecretView, Vendor, VENDORS } from '../api/types';
import { formatTime } from '../components/format';
import { ErrorState, QueryState } from '../components/states';

/** The form's state: every field as the inputs hold it. */
interface SecretForm {
  name: string;
  vendor: Vendor;
  description: string;
  api_key: string;
  api_secret: string;
  allow_regions: string[];
  address: string;
  request_rate: number;
  project_ids: string;
  tls_ca: string;
  tls_insecure: boolean;
  enabled: boolean;
  sync_schedule: string;
  sync_timezone: string;
}

const EMPTY: SecretForm = {
  name: '',
  vendor: 'aliyun',
  description: '',
  api_key: '',
  api_secret: '',
  allow_regions: [],
  address: '',
  request_rate: 5,
  project_ids: '',
  tls_ca: '',
  tls_insecure: false,
  enabled: true,
  sync_schedule: '',
  sync_timezone: '',
};

function formOf(secret: SecretView): SecretForm {
  return {
    ...EMPTY,
    name: secret.name,
    vendor: secret.vendor,
    description: secret.description ?? '',
    allow_regions: secret.allow_regions,
    address: secret.address ?? '',
    request_rate: secret.request_rate,
    project_ids: Object.entries(secret.project_ids ?? {})
      .map(([region, id]) => `${region}=${id}`)
      .join('\n'),
    tls_ca: secret.tls?.ca ?? '',
    tls_insecure: secret.tls?.insecure ?? false,
    enabled: secret.enabled,
    sync_schedule: secret.sync_schedule ?? '',
    sync_timezone: secret.sync_timezone ?? '',
  };
}

/** The API body: blank optional fields are sent as null (cleared) on edit and left out on create. */
function bodyOf(form: SecretForm, creating: boolean): Partial<CreateSecretBody> {
  const blank = (value: string) => (value.trim() === '' ? (creating ? undefined : null) : value.trim());
  const projectIds = Object.fromEntries(
    form.project_ids
      .split('\n')
      .map((line) => line.split('=').map((part) => part.trim()))
      .filter((parts) => parts.length === 2 && parts[0] && parts[1]),
  );
  const vsphere = form.vendor === 'vsphere';
  return {
    name: form.name.trim(),
    ...(creating ? { vendor: form.vendor } : {}),
    description: blank(form.description),
    ...(form.api_key.trim() ? { api_key: form.api_key.trim() } : {}),
    ...(form.api_secret ? { api_secret: form.api_secret } : {}),
    ...(vsphere ? {} : { allow_regions: form.allow_regions }),
    address: blank(form.address),
    request_rate: form.request_rate,
    ...(form.vendor === 'huawei' ? { project_ids: Object.keys(projectIds).length ? projectIds : creating ? undefined : null } : {}),
    ...(vsphere ? { tls: { ca: form.tls_ca.trim() || null, insecure: form.tls_insecure } } : {}),
    enabled: form.enabled,
    sync_schedule: blank(form.sync_schedule),
    sync_timezone: blank(form.sync_timezone),
  };
}

export function SecretEditPage() {
  const { id } = useParams();
  const secret = useQuery({ queryKey: ['secrets', 'one', id], queryFn: () => api<SecretView>(`/secrets/${id}`), enabled: id !== undefined });
  if (id === undefined) return <SecretEditor />;
  return <QueryState query={secret}>{(data) => <SecretEditor secret={data} />}</QueryState>;
}

function SecretEditor({ secret }: { secret?: SecretView }) {
  const creating = secret === undefined;
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [form, setForm] = useState<SecretForm>(secret ? formOf(secret) : EMPTY);
  const set = <K extends keyof SecretForm>(key: K, value: SecretForm[K]) => setForm((previous) => ({ ...previous, [key]: value }));
  const save = useMutation({
    mutationFn: () =>
      creating ? api<SecretView>('/secrets', { method: 'POST', body: bodyOf(form, true) }) : api<SecretView>(`/secrets/${secret.id}`, { method: 'PATCH', body: bodyOf(form, false) }),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['secrets'] });
      navigate('/secrets');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const vsphere = form.vendor === 'vsphere';
  return (
    <form onSubmit={submit}>
      <Stack maw={720}>
        <Title order={1} size="h2">
          {creating ? 'New secret' : `Secret ${secret.name}`}
        </Title>
        {secret && (
          <Text size="sm" c="dimmed">
            API key {secret.api_key} · schedule {secret.effective_schedule ?? 'off'} · next run {formatTime(secret.next_sync_at)}
          </Text>
        )}
        <TextInput label="Name" required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} />
        <Select
          label="Vendor"
          data={VENDORS}
          value={form.vendor}
          onChange={(value) => value && set('vendor', value as Vendor)}
          disabled={!creating}
          allowDeselect={false}
        />
        <Textarea label="Description" value={form.description} onChange={(e) => set('description', e.currentTarget.value)} autosize minRows={1} />
        <TextInput
          label={vsphere ? 'User name' : 'Access key id'}
          required={creating}
          placeholder={creating ? undefined : 'Leave blank to keep the stored one'}
          value={form.api_key}
          onChange={(e) => set('api_key', e.currentTarget.value)}
          autoComplete="off"
        />
        <PasswordInput
          label={vsphere ? 'Password' : 'Access key secret'}
          required={creating}
          placeholder={creating ? undefined : 'Leave blank to keep the stored one'}
          value={form.api_secret}
          onChange={(e) => set('api_secret', e.currentTarget.value)}
          autoComplete="new-password"
        />
        {!vsphere && (
          <TagsInput
            label="Allowed regions"
            description="Region ids such as cn-hangzhou, or * for every region; Enter after each"
            value={form.allow_regions}
            onChange={(value) => set('allow_regions', value)}
            required
          />
        )}
        <TextInput
          label={vsphere ? 'vCenter address (host[:port])' : 'Endpoint override'}
          description={vsphere ? undefined : 'Only for private regions or a simulator'}
          required={vsphere}
          value={form.address}
          onChange={(e) => set('address', e.currentTarget.value)}
        />
        <NumberInput label="Requests per second" min={1} max={100} value={form.request_rate} onChange={(value) => set('request_rate', Number(value) || 1)} />
        {form.vendor === 'huawei' && (
          <Textarea
            label="Project ids"
            description="One region=project-id per line"
            value={form.project_ids}
            onChange={(e) => set('project_ids', e.currentTarget.value)}
            autosize
            minRows={2}
          />
        )}
        {vsphere && (
          <>
            <Textarea
              label="CA certificate (PEM)"
              description="The CA that signed the vCenter certificate"
              value={form.tls_ca}
              onChange={(e) => set('tls_ca', e.currentTarget.value)}
              autosize
              minRows={3}
              classNames={{ input: 'mono' }}
            />
            <Checkbox
              label="Skip certificate verification for this secret (not recommended)"
              checked={form.tls_insecure}
              onChange={(e) => set('tls_insecure', e.currentTarget.checked)}
            />
          </>
        )}
        <TextInput
          label="Sync schedule"
          description="Cron (5 or 6 fields) or a macro such as @hourly; blank follows the server's default; off opts out"
          placeholder="0 */6 * * *"
          value={form.sync_schedule}
          onChange={(e) => set('sync_schedule', e.currentTarget.value)}
        />
        <TextInput label="Schedule time zone" placeholder="UTC" value={form.sync_timezone} onChange={(e) => set('sync_timezone', e.currentTarget.value)} />
        <Switch label="Enabled" checked={form.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
        {save.error && <ErrorState title="Not saved" error={save.error} />}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {creating ? 'Create secret' : 'Save'}
          </Button>
          <Button variant="default" onClick={() => navigate('/secrets')}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
