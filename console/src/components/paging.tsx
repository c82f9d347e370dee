import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';

/**
 * Keyset paging: the cursors of the pages seen so far, so Previous goes back
 * without offsets. A new `filterKey` (another filter or sort) starts again at
 * the first page in the same render: a cursor never goes out with a filter it
 * was not made for.
 */
export function useCursorPages(filterKey = '') {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: filterKey, cursors: [undefined] });
  const cursors = state.key === filterKey ? state.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const next = useCallback((nextCursor: string) => setState((previous) => ({ key: filterKey, cursors: [...(previous.key === filterKey ? previous.cursors : [undefined]), nextCursor] })), [filterKey]);
  const previous = useCallback(
    () => setState((previous) => ({ key: filterKey, cursors: previous.key === filterKey && previous.cursors.length > 1 ? previous.cursors.slice(0, -1) : [undefined] })),
    [filterKey],
  );
  const reset = useCallback(() => setState({ key: filterKey, cursors: [undefined] }), [filterKey]);
  return { cursor, page: cursors.length, next, previous, reset };
}

export function PagingControls({ paging, nextCursor, count, total }: { paging: ReturnType<typeof useCursorPages>; nextCursor: string | null | undefined; count: number; total?: number }) {
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        Page {paging.page} · {count} shown{total !== undefined ? ` of ${total.toLocaleString()}` : ''}
      </Text>
      <Group gap="xs">
        <Button size="compact-sm" variant="default" disabled={paging.page === 1} onClick={paging.previous}>
          Previous page
        </Button>
        <Button size="compact-sm" variant="default" disabled={!nextCursor} onClick={() => nextCursor && paging.next(nextCursor)}>
          Next page
        </Button>
      </Group>
    </Group>
  );
}
