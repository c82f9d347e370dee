import { Alert, Center, Group, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** An API error with its message and the request id to quote to whoever runs the server. */
export function ErrorState({ error, title = 'The request failed' }: { error: unknown; title?: string }) {
  const apiError = error instanceof ApiError ? error : null;
  return (
    <Alert color="red" title={title} role="alert" data-testid="api-error">
      <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
      {apiError && (
        <Text size="xs" c="dimmed" mt={4}>
          HTTP {apiError.status}
          {apiError.requestId ? ` · request id ${apiError.requestId}` : ''}
        </Text>
      )}
    </Alert>
  );
}

export function LoadingState({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="xs">
        <Loader size="sm" aria-hidden />
        <Text size="sm">{label}…</Text>
      </Group>
    </Center>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Center py="xl">
      <Text c="dimmed" size="sm">
        {children}
      </Text>
    </Center>
  );
}

/** Loading, error or the content: the three states every query has. */
export function QueryState<T>({ query, children, loading }: { query: { data?: T; error: unknown; isPending: boolean }; children: (data: T) => ReactNode; loading?: string }) {
  if (query.isPending) return <LoadingState label={loading} />;
  if (query.error) return <ErrorState error={query.error} />;
  return <>{children(query.data as T)}</>;
}
