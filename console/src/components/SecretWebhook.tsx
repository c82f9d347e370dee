import { Alert, Button, Card, Code, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import type { SecretView, Vendor, WebhookSecret } from '../api/types';
import { ErrorState } from './states';

/** Where the cloud posts its change notifications for this secret. */
export function webhookAddress(vendor: Vendor, secretId: string): string {
  const route = vendor === 'huawei' ? 'huawei-smn' : 'cloudevents';
  return `${window.location.origin}/webhooks/${route}/${secretId}`;
}

/** The server keeps the webhook secret encrypted and never answers it again: this is the one chance to copy it. */
function ShownOnce({ webhookSecret }: { webhookSecret: string }) {
  return (
    <Alert color="yellow" title="Webhook secret (shown only now)" data-testid="webhook-secret">
      <Code block>{webhookSecret}</Code>
      <Text size="sm" mt="xs">
        Copy it into the relay that signs the cloud's deliveries; this page will not show it again. Rotate to get another.
      </Text>
    </Alert>
  );
}

/** The webhook to configure at the cloud; Aliyun and Tencent deliveries are signed with a secret this rotates. */
export function SecretWebhook({ secret, issued }: { secret: SecretView; issued?: string }) {
  const rotate = useMutation({ mutationFn: () => api<WebhookSecret>(`/secrets/${secret.id}/webhook-secret`, { method: 'POST' }) });
  const signed = secret.vendor === 'aliyun' || secret.vendor === 'tencent';
  // Huawei's SMN signs with its own certificates: a webhook secret means nothing there.
  const shown = signed ? (rotate.data?.webhook_secret ?? issued) : undefined;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Text fw={600}>Webhook</Text>
        <Text size="sm">
          Configure this address at the cloud: <Code data-testid="webhook-address">{webhookAddress(secret.vendor, secret.id)}</Code>
        </Text>
        {signed && (
          <Group>
            <Button
              size="xs"
              variant="default"
              loading={rotate.isPending}
              onClick={() => window.confirm('Issue a new webhook secret? The current one stops working at once.') && rotate.mutate()}
            >
              Rotate webhook secret
            </Button>
            {!shown && (
              <Text size="xs" c="dimmed">
                {secret.webhook_secret_set ? 'A webhook secret is set.' : 'No webhook secret issued yet.'}
              </Text>
            )}
          </Group>
        )}
        {shown && <ShownOnce webhookSecret={shown} />}
        {rotate.error && <ErrorState title="Not rotated" error={rotate.error} />}
      </Stack>
    </Card>
  );
}
