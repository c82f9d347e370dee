import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  succeeded: 'green',
  running: 'blue',
  queued: 'gray',
  partial: 'yellow',
  failed: 'red',
  interrupted: 'orange',
  created: 'green',
  updated: 'blue',
  unchanged: 'gray',
  deleted: 'dark',
  stopped: 'gray',
  active: 'green',
};

export function StatusBadge({ value }: { value: string }) {
  return (
    <Badge color={COLORS[value] ?? 'gray'} variant="light">
      {value}
    </Badge>
  );
}
