import { Badge, Card, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Readiness, SinkStatus } from '../api/types';
import { DataTable } from './DataTable';

/**
 * The brokers every change is published to (MQTT, NATS), from GET /readyz:
 * public, so the token api() sends is harmless. Nothing when none is configured.
 * Polled: a broker acknowledges after the change, so the live feed cannot say when the lag clears.
 */
export function PublishingCard() {
  const readiness = useQuery({ queryKey: ['readyz'], queryFn: () => api<Readiness>('/readyz'), refetchInterval: 5000 });
  const sinks = Object.entries(readiness.data?.publishing ?? {});
  if (sinks.length === 0) return null;
  return (
    <Card withBorder data-testid="publishing">
      <Title order={2} size="h3" mb="xs">
        Publishing
      </Title>
      <DataTable minWidth={600} head={['Broker', 'Lag', 'Acknowledged revision', 'Last error']}>
        {sinks.map(([name, sink]) => (
          <SinkRow key={name} name={name} sink={sink} />
        ))}
      </DataTable>
    </Card>
  );
}

function SinkRow({ name, sink }: { name: string; sink: SinkStatus }) {
  return (
    <Table.Tr>
      <Table.Td>
        {name}
        {sink.publishing_here && (
          <Badge ml="xs" variant="outline" color="gray" title="This server holds the publishing lease">
            here
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        {sink.lag === 0 ? (
          <Badge color="green" variant="light">
            up to date
          </Badge>
        ) : (
          <Badge color="yellow" variant="light">
            {sink.lag.toLocaleString()} behind
          </Badge>
        )}
      </Table.Td>
      <Table.Td className="mono">{sink.acknowledged_revision}</Table.Td>
      <Table.Td>
        {sink.last_error ? (
          <Text size="sm" c="red">
            {sink.last_error}
          </Text>
        ) : (
          '—'
        )}
      </Table.Td>
    </Table.Tr>
  );
}
