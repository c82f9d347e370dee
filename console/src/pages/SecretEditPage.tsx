import { Button, Checkbox, Group, NumberInput, PasswordInput, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { CreatedSecret, CreateSecretBody, SecretView, Vendor, VENDORS } from '../api/types';
import { formatTime } from '../components/format';
import { WatchStatusLine } from '../components/SecretLive';
import { SecretWebhook } from '../components/SecretWebhook';
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
  watch: boolean;
  delta_sync: boolean;
  smn_topic_urns: string[];
  smn_signing_certs: string;
  eventbridge_signing_certs: string;
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
  watch: false,
  delta_sync: false,
  smn_topic_urns: [],
  smn_signing_certs: '',
  eventbridge_signing_certs: '',
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
    watch: secret.watch,
    delta_sync: secret.delta_sync,
    smn_topic_urns: secret.smn_topic_urns ?? [],
    smn_signing_certs: secret.smn_signing_certs ?? '',
    eventbridge_signing_certs: secret.eventbridge_signing_certs ?? '',
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
    // Each vendor's own way to stay current between syncs; the server refuses the others' fields.
    ...(vsphere ? { watch: form.watch } : { delta_sync: form.delta_sync }),
    ...(form.vendor === 'huawei' ? { smn_topic_urns: form.smn_topic_urns, smn_signing_certs: blank(form.smn_signing_certs) } : {}),
    ...(form.vendor === 'aliyun' ? { eventbridge_signing_certs: blank(form.eventbridge_signing_certs) } : {}),
  };
}

export function SecretEditPage() {
  const { id } = useParams();
  const secret = useQuery({
    queryKey: ['secrets', 'one', id],
    queryFn: () => api<SecretView>(`/secrets/${id}`),
    enabled: id !== undefined,
    // A watched vCenter's feed state changes on its own: keep the header current.
    refetchInterval: (query) => (query.state.data?.watch ? 3000 : false),
  });
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
      creating ? api<CreatedSecret>('/secrets', { method: 'POST', body: bodyOf(form, true) }) : api<CreatedSecret>(`/secrets/${secret.id}`, { method: 'PATCH', body: bodyOf(form, false) }),
    onSuccess: async (saved) => {
      await queries.invalidateQueries({ queryKey: ['secrets'] });
      // The webhook secret issued with a new secret is answered this once: stay to show it.
      if (!(saved.delta_sync && saved.webhook_secret)) navigate('/secrets');
    },
  });
  if (save.data?.webhook_secret && save.data.delta_sync) return <CreatedWithWebhook secret={save.data} />;
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
        {secret?.vendor === 'vsphere' && secret.watch && <WatchStatusLine status={secret.watch_status} />}
        {secret && secret.vendor !== 'vsphere' && form.delta_sync && <SecretWebhook secret={secret} />}
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
            <Switch
              label="Follow vCenter's change feed"
              description="Hosts change within seconds of a change in vCenter, between syncs"
              checked={form.watch}
              onChange={(e) => set('watch', e.currentTarget.checked)}
            />
          </>
        )}
        {!vsphere && <DeltaSyncFields form={form} set={set} />}
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

type Setter = <K extends keyof SecretForm>(key: K, value: SecretForm[K]) => void;

/** The cloud's change notifications: on, and what the webhooks need to trust them. */
function DeltaSyncFields({ form, set }: { form: SecretForm; set: Setter }) {
  return (
    <>
      <Switch
        label="Delta sync (the cloud's change notifications)"
        description="The cloud posts each change to this secret's webhook; the changed resource is read at once"
        checked={form.delta_sync}
        onChange={(e) => set('delta_sync', e.currentTarget.checked)}
      />
      {form.delta_sync && form.vendor === 'huawei' && (
        <>
          <TagsInput
            label="SMN topic URNs"
            description="Topics whose messages are accepted, such as urn:smn:cn-north-4:<project_id>:<topic>; Enter after each"
            value={form.smn_topic_urns}
            onChange={(value) => set('smn_topic_urns', value)}
          />
          <PemInput label="SMN signing certificates (PEM)" description="Trusted besides Huawei's own" value={form.smn_signing_certs} onChange={(value) => set('smn_signing_certs', value)} />
        </>
      )}
      {form.delta_sync && form.vendor === 'aliyun' && (
        <PemInput
          label="EventBridge signing certificates (PEM)"
          description="Optional: accepts deliveries that carry EventBridge's own signature instead of the webhook secret's"
          value={form.eventbridge_signing_certs}
          onChange={(value) => set('eventbridge_signing_certs', value)}
        />
      )}
    </>
  );
}

function PemInput({ label, description, value, onChange }: { label: string; description: string; value: string; onChange: (value: string) => void }) {
  return <Textarea label={label} description={description} value={value} onChange={(e) => onChange(e.currentTarget.value)} autosize minRows={3} classNames={{ input: 'mono' }} />;
}

/** Just created with delta sync: its webhook and the secret to sign deliveries with, shown once. */
function CreatedWithWebhook({ secret }: { secret: CreatedSecret }) {
  const navigate = useNavigate();
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        Secret {secret.name} created
      </Title>
      <SecretWebhook secret={secret} issued={secret.webhook_secret} />
      <Group>
        <Button onClick={() => navigate('/secrets')}>Done</Button>
      </Group>
    </Stack>
  );
}
