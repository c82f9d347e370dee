import { Badge, Text } from '@mantine/core';
import type { SecretView, WatchStatus } from '../api/types';
import { formatTime } from './format';

const WATCH_COLORS: Record<string, string> = { following: 'green', reconnecting: 'yellow', failed: 'red' };

function WatchBadge({ status }: { status: WatchStatus | null }) {
  // null: no process has taken the feed yet.
  const state = status?.state ?? 'starting';
  return (
    <Badge color={WATCH_COLORS[state] ?? 'gray'} variant="light" title={status?.error?.message}>
      {state}
    </Badge>
  );
}

/** How a secret keeps up between syncs: its vCenter feed, the cloud's notifications, or neither. */
export function SecretLiveBadge({ secret }: { secret: SecretView }) {
  if (secret.vendor === 'vsphere' && secret.watch) return <WatchBadge status={secret.watch_status} />;
  if (secret.delta_sync) {
    return (
      <Badge color="blue" variant="light">
        notifications
      </Badge>
    );
  }
  return <>—</>;
}

/** A watched vSphere secret's feed, for its page's header. */
export function WatchStatusLine({ status }: { status: WatchStatus | null }) {
  return (
    <Text size="sm" c="dimmed" data-testid="watch-status" component="div">
      vCenter feed <WatchBadge status={status} />
      {status?.error && (
        <Text span c="red" size="sm">
          {' '}
          {status.error.code}: {status.error.message}
        </Text>
      )}
      {status && (
        <>
          {' '}
          · last update {formatTime(status.last_update_at)} · {status.updates_applied.toLocaleString()} updates applied
        </>
      )}
    </Text>
  );
}
